#!/usr/bin/env python3
"""A second, independent family of smuggling-network scenarios (issue 19).

usage: bench/scenario_b.py DIR [--persons 20000] [--seed 1] [--target-size N]

Written apart from `caselink generate` (no code, tables or rules shared) from
published descriptions of smuggling networks (UNODC, Global Study on Smuggling
of Migrants 2018; Europol, European Migrant Smuggling Centre reports):

- Networks are loose hierarchies: one to three organisers, coordinators, and
  specialists: recruiters who stay in the origin countries and are reached by
  phone, transporters who travel with groups, money brokers (hawala) whose
  accounts take the fees, cash couriers who pay in on clients' behalf, and
  safe-house keepers. Sizes are heavy-tailed, from about ten people to two
  thousand clients.
- Facilitators use many phones: organisers and coordinators rotate burner
  numbers, each active for a few weeks.
- Clients travel alone or as families; groups of 5 to 30 move together over
  commercial legs (flights and coaches shared with unrelated travellers), often
  escorted by a transporter, and end in a border encounter; some wait in a
  safe house first.
- Fees reach the network in three ways: into a broker's account, through a
  cash courier who pays many fees, or through a money-transfer agent used by
  thousands of unrelated people too.
- Networks share hubs: the same coach routes, the same transfer agents, now
  and then a safe house or a transporter.
- Everyone else lives alongside: relatives' calls and remittances, ordinary
  trips, asylum cases and encounters of people who crossed on their own.

Identities are made easy on purpose (every record of a person carries the
person's passport number, names vary only in case and order) so that the
figures measure triage, not resolution. Output: the same FtM JSON-lines
sources, truth files (truth_records.csv, truth_persons.csv) and seeds.csv as
`caselink generate`, so `caselink eval triage --truth-dir DIR` reads them.
"""
import argparse
import csv
import datetime
import json
import math
import os
import random

GIVEN = {
    "af": ["Ahmad", "Mohammad", "Rahim", "Farid", "Zahra", "Maryam", "Nazanin", "Habib", "Wahid", "Sima"],
    "sy": ["Omar", "Khaled", "Rami", "Yara", "Lina", "Bassel", "Hiba", "Tarek", "Nour", "Samer"],
    "iq": ["Ali", "Hussein", "Zainab", "Mustafa", "Haider", "Noor", "Sajjad", "Rusul", "Ammar", "Fatima"],
    "er": ["Tesfay", "Yonas", "Semhar", "Filmon", "Helen", "Merhawi", "Saba", "Dawit", "Senait", "Kibrom"],
    "so": ["Abdi", "Hodan", "Farah", "Ayaan", "Mahad", "Idil", "Warsame", "Sahra", "Liban", "Deeqa"],
    "pk": ["Imran", "Ayesha", "Bilal", "Sana", "Usman", "Hina", "Kamran", "Rabia", "Asif", "Zainab"],
    "bd": ["Rahul", "Nusrat", "Shafiq", "Tania", "Arif", "Sharmin", "Jahid", "Rumana", "Sohel", "Mitu"],
    "ma": ["Youssef", "Salma", "Hamza", "Imane", "Mehdi", "Khadija", "Anas", "Meryem", "Ilyas", "Houda"],
    "ng": ["Chinedu", "Ngozi", "Emeka", "Aisha", "Tunde", "Funmi", "Ibrahim", "Bisi", "Obinna", "Kemi"],
    "vn": ["Minh", "Lan", "Tuan", "Huong", "Duc", "Mai", "Hung", "Thao", "Nam", "Linh"],
    "tr": ["Emre", "Ayse", "Mehmet", "Elif", "Burak", "Zeynep", "Murat", "Esra", "Kemal", "Seda"],
    "gr": ["Nikos", "Maria", "Giorgos", "Eleni", "Kostas", "Sofia", "Yannis", "Anna", "Dimitris", "Katerina"],
}
FAMILY = {
    "af": ["Ahmadi", "Rahimi", "Karimi", "Noori", "Hashimi", "Sultani", "Haidari", "Amiri"],
    "sy": ["Haddad", "Khoury", "Darwish", "Sabbagh", "Halabi", "Nassar", "Shami", "Kassab"],
    "iq": ["Al-Jubouri", "Al-Saadi", "Al-Obaidi", "Kadhim", "Hamdan", "Al-Tamimi", "Jasim", "Abbas"],
    "er": ["Tekle", "Gebremedhin", "Haile", "Berhane", "Tesfamariam", "Woldu", "Kidane", "Ghebre"],
    "so": ["Mohamed", "Warsame", "Jama", "Hassan", "Farah", "Aden", "Osman", "Ali"],
    "pk": ["Khan", "Malik", "Qureshi", "Butt", "Chaudhry", "Sheikh", "Raza", "Iqbal"],
    "bd": ["Rahman", "Hossain", "Islam", "Akter", "Uddin", "Chowdhury", "Sarker", "Begum"],
    "ma": ["El Idrissi", "Benali", "Alaoui", "Bennani", "El Amrani", "Tazi", "Chraibi", "Berrada"],
    "ng": ["Okafor", "Adeyemi", "Bello", "Eze", "Ogunleye", "Nwosu", "Abubakar", "Okonkwo"],
    "vn": ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"],
    "tr": ["Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Aydin", "Ozturk", "Arslan"],
    "gr": ["Papadopoulos", "Georgiou", "Nikolaidis", "Dimitriou", "Konstantinou", "Ioannou", "Vasileiou", "Pappas"],
}
ORIGINS = ["af", "sy", "iq", "er", "so", "pk", "bd", "ma", "ng", "vn"]
TRANSIT = ["tr", "gr"]  # facilitators are often from transit countries too
START = datetime.date(2022, 1, 1)
DAYS = 730


class World:
    def __init__(self, rng):
        self.rng = rng
        self.people = []  # dicts
        self.records = {name: [] for name in ("encounters", "travel", "finance", "calls", "cases", "intel")}
        self.truth_records = []
        self.counters = {}
        self.phone_numbers = set()

    def next_id(self, prefix):
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return "%s-%07d" % (prefix, self.counters[prefix])

    def new_phone(self, country):
        codes = {"af": "+93", "sy": "+963", "iq": "+964", "er": "+291", "so": "+252", "pk": "+92", "bd": "+880",
                 "ma": "+212", "ng": "+234", "vn": "+84", "tr": "+90", "gr": "+30"}
        while True:
            number = codes[country] + " " + "".join(str(self.rng.randrange(10)) for _ in range(9))
            if number not in self.phone_numbers:
                self.phone_numbers.add(number)
                return number

    def new_person(self, country, network="", target=0, role="none"):
        rng = self.rng
        gender = rng.choice(["male", "female"])
        p = {
            "id": "B%07d" % (len(self.people) + 1),
            "given": rng.choice(GIVEN[country]), "family": rng.choice(FAMILY[country]),
            "gender": gender, "country": country,
            "birth": (datetime.date(1955, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 50))).isoformat(),
            "passport": "%s%08d" % (country.upper(), rng.randrange(10 ** 8)),
            "phones": [self.new_phone(country)],
            "network": network, "target": target, "role": role, "contacts": [],
        }
        self.people.append(p)
        return p

    def name(self, p):
        r = self.rng.random()
        if r < 0.6:
            return p["given"] + " " + p["family"]
        if r < 0.8:
            return (p["family"] + ", " + p["given"]).upper() if self.rng.random() < 0.5 else p["family"] + ", " + p["given"]
        return (p["family"] + " " + p["given"]).upper()

    def person_record(self, source, prefix, p, phone=True, extra=None):
        rid = self.next_id(prefix)
        props = {"name": [self.name(p)], "birthDate": [p["birth"]], "passportNumber": [p["passport"]],
                 "nationality": [p["country"]]}
        if phone and p["phones"]:
            props["phone"] = [self.rng.choice(p["phones"])]
        if extra:
            props.update(extra)
        self.records[source].append({"id": rid, "schema": "Person", "properties": props})
        self.truth_records.append((rid, p["id"]))
        return rid

    def day(self, lo=0, hi=DAYS):
        return START + datetime.timedelta(days=self.rng.randrange(lo, max(lo + 1, hi)))

    def call(self, a, b, when):
        self.records["calls"].append({"id": self.next_id("bcall"), "schema": "Call", "properties": {
            "callerNumber": [a], "receiverNumber": [b], "date": [when.isoformat()],
            "duration": [str(self.rng.randrange(20, 900))]}})

    def account(self, owner_country, bank):
        rid = self.next_id("bacct")
        number = "%s%014d" % (owner_country.upper(), self.rng.randrange(10 ** 14))
        self.records["finance"].append({"id": rid, "schema": "BankAccount", "properties": {
            "accountNumber": [number], "bankName": [bank], "country": [owner_country]}})
        return rid, number

    def payment(self, payer_record, account_record, amount, when, purpose):
        self.records["finance"].append({"id": self.next_id("bpay"), "schema": "Payment", "properties": {
            "payer": [payer_record], "beneficiaryAccount": [account_record], "amount": [str(amount)],
            "currency": ["USD"], "date": [when.isoformat()], "purpose": [purpose]}})

    def trip(self, passengers, when, route):
        """One leg: a Trip with a manifest Person record per passenger."""
        ids = [self.person_record("travel", "btr", p, phone=self.rng.random() < 0.3) for p in passengers]
        self.records["travel"].append({"id": self.next_id("btrip"), "schema": "Trip", "properties": {
            "name": [route], "startDate": [when.isoformat()], "involved": ids}})

    def encounter(self, people, when, place, address=None):
        ids = []
        for p in people:
            extra = {"address": [address]} if address and self.rng.random() < 0.7 else None
            ids.append(self.person_record("encounters", "benc", p, phone=self.rng.random() < 0.5, extra=extra))
        self.records["encounters"].append({"id": self.next_id("bev"), "schema": "Event", "properties": {
            "name": ["Border encounter " + place], "date": [when.isoformat()], "location": [place],
            "country": ["gr"], "summary": ["%d people apprehended" % len(people)], "involved": ids}})
        return ids

    def family_link(self, a_record, b_record, relationship):
        self.records["encounters"].append({"id": self.next_id("bfam"), "schema": "Family", "properties": {
            "person": [a_record], "relative": [b_record], "relationship": [relationship]}})

    def case(self, p, when):
        rid = self.person_record("cases", "bcper", p, phone=False)
        cid = self.next_id("bcase")
        self.records["cases"].append({"id": cid, "schema": "CourtCase", "properties": {
            "name": ["Asylum application of " + p["given"] + " " + p["family"]],
            "caseNumber": ["AS-%07d" % self.rng.randrange(10 ** 7)], "fileDate": [when.isoformat()],
            "court": ["Regional Asylum Office"], "type": ["Asylum"]}})
        self.records["cases"].append({"id": self.next_id("bparty"), "schema": "CourtCaseParty", "properties": {
            "party": [rid], "case": [cid], "role": ["Applicant"]}})


ROUTES = ["IST-ATH coach", "IZM-CHIOS ferry", "IST-EDIRNE coach", "ATH-THESS coach", "THESS-IDOMENI bus",
          "IST-IZM coach", "ANK-IST coach", "VAN-IST bus", "TEH-VAN bus", "IZM-BODRUM bus", "BODRUM-KOS ferry",
          "ATH-PATRAS bus", "ISB-TEH bus", "CAI-IST flight", "BEY-IST flight", "DXB-IST flight"]
PLACES = ["Evros", "Lesvos", "Chios", "Samos", "Kos", "Idomeni", "Orestiada"]
BANKS = ["Ziraat", "Garanti", "Piraeus", "Alpha Bank", "Kabul Bank", "Habib Bank", "Dahabshiil"]


def build(world, persons, target_size=0):
    rng = world.rng
    # Everyone's home community: a person's relatives and friends are of the same origin.
    community = {c: [] for c in ORIGINS + TRANSIT}

    # Networks: one target and several others, heavy-tailed in size.
    networks = []
    budget = int(persons * 0.16)  # people in some network, clients included
    sizes = []
    while sum(sizes) < budget:
        sizes.append(min(2000, max(10, int(math.exp(rng.gauss(4.6, 1.1))))))
    if target_size:  # a network of this size is the one intelligence names
        sizes[-1] = min(2000, max(10, target_size))
        sizes.sort()
        target_index = sizes.index(min(2000, max(10, target_size)))
    else:  # a network of middling size is
        sizes.sort()
        target_index = len(sizes) // 2
    hub_accounts = [world.account("tr", "MoneyGram agent Aksaray"), world.account("gr", "Western Union agent Omonia"),
                    world.account("tr", "Ria agent Basmane")]
    for k, size in enumerate(sizes):
        name = "NB%02d" % k
        target = 1 if k == target_index else 0
        base = rng.choice(TRANSIT + ORIGINS[:4])
        core = max(4, int(size ** 0.5))
        members = {"organiser": [], "coordinator": [], "recruiter": [], "transporter": [], "broker": [],
                   "courier": [], "keeper": []}
        for role, count in (("organiser", 1 + (core > 20) + (core > 35)), ("coordinator", max(1, core // 8)),
                            ("recruiter", max(1, core // 4)), ("transporter", max(1, core // 5)),
                            ("broker", max(1, core // 10)), ("courier", max(1, core // 10)),
                            ("keeper", max(0, core // 12))):
            for _ in range(count):
                country = base if role in ("organiser", "coordinator", "transporter", "keeper", "broker") \
                    else rng.choice(ORIGINS)
                p = world.new_person(country, name, target, "facilitator")
                if role in ("organiser", "coordinator"):  # burner phones, rotated
                    p["phones"] += [world.new_phone(base) for _ in range(rng.randrange(2, 7))]
                members[role].append(p)
        clients = [world.new_person(rng.choice(ORIGINS), name, target, "client") for _ in range(max(5, size - core))]
        networks.append({"name": name, "target": target, "members": members, "clients": clients, "base": base})

    # Everyone else.
    while len(world.people) < persons:
        world.new_person(rng.choice(ORIGINS + TRANSIT))
    for p in world.people:
        community[p["country"]].append(p)

    # Background life: relatives' calls, remittances, ordinary trips, own crossings, cases.
    family_accounts = {}
    for p in world.people:
        for _ in range(rng.randrange(1, 5)):
            q = rng.choice(community[p["country"]])
            if q is not p:
                p["contacts"].append(q)
                for _ in range(rng.randrange(1, 4)):
                    world.call(rng.choice(p["phones"]), rng.choice(q["phones"]), world.day())
    remitters = rng.sample(world.people, len(world.people) // 6)
    for p in remitters:
        payer = world.person_record("finance", "bfin", p)
        for _ in range(rng.randrange(1, 4)):
            if rng.random() < 0.6:
                acct = hub_accounts[rng.randrange(len(hub_accounts))][0]
            else:
                q = rng.choice(p["contacts"]) if p["contacts"] else p
                if q["id"] not in family_accounts:
                    family_accounts[q["id"]] = world.account(q["country"], rng.choice(BANKS))[0]
                acct = family_accounts[q["id"]]
            world.payment(payer, acct, rng.randrange(50, 1500), world.day(), "family support")
    # Ordinary legs: each route instance carries unrelated travellers.
    travellers = rng.sample(world.people, len(world.people) // 3)
    rng.shuffle(travellers)
    i = 0
    while i < len(travellers):
        n = rng.randrange(3, 40)
        world.trip(travellers[i:i + n], world.day(), rng.choice(ROUTES))
        i += n
    # People who crossed on their own, in small groups of strangers.
    loners = rng.sample(world.people, len(world.people) // 12)
    i = 0
    while i < len(loners):
        n = rng.randrange(1, 8)
        world.encounter(loners[i:i + n], world.day(), rng.choice(PLACES))
        i += n
    for p in rng.sample(world.people, len(world.people) // 10):
        world.case(p, world.day())

    # Network activity.
    safe_houses = ["%d %s Street, %s" % (rng.randrange(1, 200), s, c) for s, c in
                   (("Marni", "Athens"), ("Acharnon", "Athens"), ("Fevzipasa", "Istanbul"), ("Kumkapi", "Istanbul"),
                    ("Basmane", "Izmir"), ("Egnatia", "Thessaloniki"))]
    for net in networks:
        m = net["members"]
        start = rng.randrange(0, DAYS - 200)
        span = rng.randrange(120, min(600, DAYS - start))
        active = (start, start + span)
        core = [p for role in m.values() for p in role]
        # Members call each other up and down the hierarchy, on whichever phone is current.
        leaders = m["organiser"] + m["coordinator"]
        for p in core:
            for q in rng.sample(leaders, min(len(leaders), 2)):
                if q is p:
                    continue
                for _ in range(rng.randrange(2, 8)):
                    world.call(rng.choice(p["phones"]), rng.choice(q["phones"]), world.day(*active))
        # Members appear in records too: subscriber checks, KYC, encounters of transporters.
        for p in core:
            world.person_record("finance" if rng.random() < 0.5 else "cases", "bkyc", p)
        accounts = [world.account(b["country"], rng.choice(BANKS)) for b in m["broker"]]
        for b, (acct, _) in zip(m["broker"], accounts):
            payer = world.person_record("finance", "bfin", b)
            for o in m["organiser"]:
                o_acct = world.account(o["country"], rng.choice(BANKS))[0]
                for _ in range(rng.randrange(2, 6)):
                    world.payment(payer, o_acct, rng.randrange(5000, 40000), world.day(*active), "business")
        courier_records = [world.person_record("finance", "bfin", c) for c in m["courier"]]
        safe_house = rng.choice(safe_houses) if m["keeper"] else None
        # Clients: alone or as families, in groups that travel and cross together.
        clients = net["clients"][:]
        rng.shuffle(clients)
        parties = []
        i = 0
        while i < len(clients):
            n = 1 if rng.random() < 0.6 else rng.randrange(2, 6)
            parties.append(clients[i:i + n])
            i += n
        for party in parties:
            head = party[0]
            recruiter = rng.choice(m["recruiter"])
            for _ in range(rng.randrange(1, 4)):
                world.call(rng.choice(head["phones"]), rng.choice(recruiter["phones"]), world.day(*active))
            if rng.random() < 0.3:  # some reach a coordinator's current number too
                world.call(rng.choice(head["phones"]), rng.choice(rng.choice(leaders)["phones"]), world.day(*active))
            fee = rng.randrange(2000, 9000) * len(party)
            how = rng.random()
            if how < 0.4:
                payer = world.person_record("finance", "bfin", head)
                world.payment(payer, rng.choice(accounts)[0], fee, world.day(*active), "family support")
            elif how < 0.7:
                courier = rng.randrange(len(courier_records))
                world.payment(courier_records[courier], rng.choice(accounts)[0], fee, world.day(*active), "goods")
                world.call(rng.choice(head["phones"]), rng.choice(m["courier"][courier]["phones"]), world.day(*active))
            else:  # a transfer agent that thousands use
                payer = world.person_record("finance", "bfin", head)
                world.payment(payer, hub_accounts[rng.randrange(len(hub_accounts))][0], fee, world.day(*active),
                              "family support")
        # Groups of parties travel 1-3 legs (sometimes with a transporter), then cross.
        i = 0
        while i < len(parties):
            g = rng.randrange(1, 8)
            group = [p for party in parties[i:i + g] for p in party]
            i += g
            when = rng.randrange(*active)
            escort = rng.choice(m["transporter"]) if rng.random() < 0.6 else None
            for leg in range(rng.randrange(1, 4)):
                route = rng.choice(ROUTES)
                strangers = rng.sample(travellers, rng.randrange(0, 25))  # a commercial leg: others aboard
                riders = group + ([escort] if escort and rng.random() < 0.7 else []) + strangers
                world.trip(riders, START + datetime.timedelta(days=when + leg), route)
            crossing = group + ([escort] if escort and rng.random() < 0.3 else [])
            ids = world.encounter(crossing, START + datetime.timedelta(days=when + 4), rng.choice(PLACES),
                                  safe_house if safe_house and rng.random() < 0.5 else None)
            by_person = {}
            for rid, p in zip(ids, crossing):
                by_person[p["id"]] = rid
            for party in parties[i - g:i]:
                for rel in party[1:]:
                    if party[0]["id"] in by_person and rel["id"] in by_person:
                        world.family_link(by_person[party[0]["id"]], by_person[rel["id"]], "relative")
            for p in group:
                if rng.random() < 0.5:
                    world.case(p, START + datetime.timedelta(days=min(DAYS - 1, when + rng.randrange(10, 90))))
    # Networks share hubs: some transporters work for two networks.
    for a, b in zip(networks, networks[1:]):
        if rng.random() < 0.3 and b["clients"]:
            t = rng.choice(a["members"]["transporter"])
            group = rng.sample(b["clients"], min(len(b["clients"]), rng.randrange(3, 12)))
            world.trip(group + [t], world.day(), rng.choice(ROUTES))

    # Intelligence on the target network: an organiser, one current phone, a broker's account.
    net = networks[target_index]
    org = net["members"]["organiser"][0]
    intel_person = world.next_id("bintel")
    world.records["intel"].append({"id": intel_person, "schema": "Person", "properties": {
        "name": [org["given"] + " " + org["family"]], "birthDate": [org["birth"][:4]], "nationality": [org["country"]],
        "passportNumber": [org["passport"]], "notes": ["IR-B-1: organiser of a smuggling network"]}})
    world.truth_records.append((intel_person, org["id"]))
    return networks, net, org, intel_person


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--persons", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target-size", type=int, default=0,
                    help="people in the network intelligence names (10 to 2000); default: a middling one")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    world = World(rng)
    networks, net, org, intel_person = build(world, a.persons, a.target_size)
    os.makedirs(a.dir, exist_ok=True)
    for name, records in world.records.items():
        with open(os.path.join(a.dir, name + ".jsonl"), "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(a.dir, "truth_records.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "person_id"])
        w.writerows(world.truth_records)
    with open(os.path.join(a.dir, "truth_persons.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["person_id", "network", "target", "nationality", "role"])
        for p in world.people:
            w.writerow([p["id"], p["network"], p["target"], p["country"], p["role"]])
    # The account intelligence names: the one most of the network's fees went
    # to, transfer agents aside.
    fees = {}
    accounts = {r["id"]: r["properties"]["accountNumber"][0] for r in world.records["finance"]
                if r["schema"] == "BankAccount"}
    client_ids = {p["id"] for p in net["clients"]}
    record_person = dict(world.truth_records)
    for r in world.records["finance"]:
        if r["schema"] != "Payment":
            continue
        payer = record_person.get(r["properties"]["payer"][0])
        if payer in client_ids or payer in {c["id"] for c in net["members"]["courier"]}:
            acct = r["properties"]["beneficiaryAccount"][0]
            fees[acct] = fees.get(acct, 0) + 1
    hubs = {r["id"] for r in world.records["finance"]
            if r["schema"] == "BankAccount" and "agent" in r["properties"]["bankName"][0]}
    broker_account = max((a for a in fees if a not in hubs), key=lambda a: fees[a])
    with open(os.path.join(a.dir, "seeds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "value", "reason"])
        w.writerow(["record", intel_person, "IR-B-1: organiser of the network"])
        w.writerow(["phone", org["phones"][-1], "IR-B-1: a current phone of the organiser"])
        w.writerow(["account", accounts[broker_account], "IR-B-1: account receiving the network's fees"])
    members = sum(len(v) for v in net["members"].values())
    print("%d persons; target network %s: %d facilitators, %d clients; %d networks of %s people" %
          (len(world.people), net["name"], members, len(net["clients"]), len(networks),
           [sum(len(v) for v in n["members"].values()) + len(n["clients"]) for n in networks]))


if __name__ == "__main__":
    main()
