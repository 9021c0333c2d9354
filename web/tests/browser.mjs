// The workbench in a real browser (Debian's chromium, driven by
// playwright-core) against `caselink serve` on 127.0.0.1 over a generated
// scenario: sign-in, the queue, a full review flow (open a case, follow a
// line of evidence to its record, open the graph, filter the timeline,
// decide, see it in the queue), who-is-who with its waterfall, screening,
// the audit as an auditor; and a restricted analyst who never receives a
// restricted record, in the DOM or in any response. Screenshots of each page
// go to OUT_DIR.
//
// Usage: node tests/browser.mjs CASELINK_BINARY OUT_DIR [--persons N]
import { chromium } from "playwright-core";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [caselink, outDir] = process.argv.slice(2);
const persons = process.argv.includes("--persons") ? process.argv[process.argv.indexOf("--persons") + 1] : "400";
if (!caselink || !outDir) {
  console.error("usage: node tests/browser.mjs CASELINK_BINARY OUT_DIR [--persons N]");
  process.exit(2);
}
const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
fs.mkdirSync(outDir, { recursive: true });
const work = fs.mkdtempSync(path.join(os.tmpdir(), "caselink-web-"));
const store = path.join(work, "store.db");
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log((ok ? "ok   " : "FAIL ") + what);
};
const run = (...args) => execFileSync(caselink, ["--store", store, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

// The scenario: six sources, three of them marked.
const SOURCES = [["encounters", "B2", ""], ["travel", "A1", ""], ["finance", "B2", "FIN"], ["calls", "B2", "LE"], ["cases", "A2", ""], ["intel", "B3", "SECRET,NOFORN"]];
const gen = path.join(work, "g");
execFileSync(caselink, ["generate", "--persons", persons, "--networks", "2", "--seed", "5", gen]);
for (const [name, grade, markings] of SOURCES) {
  run("ingest", path.join(gen, name + ".jsonl"), "--source", name, "--reliability", grade, "--no-progress", ...(markings ? ["--markings", markings] : []));
}
run("resolve");
run("watchlist", "load", "--name", "WL", "--format", "ftm", path.join(gen, "watchlist.ftm.json"));
run("screen", "--all");
const seeds = fs.readFileSync(path.join(gen, "seeds.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
const phone = seeds.find(([k]) => k === "phone")[1];
run("seed", "--phone", phone, "--reason", "IR-1: network phone");
const intelRecord = seeds.find(([k]) => k === "record")?.[1];
if (intelRecord) run("seed", "--record", intelRecord, "--reason", "IR-1: SECRET facilitator", "--markings", "SECRET,NOFORN");
const restricted = new Set();
for (const [name, , markings] of SOURCES) {
  if (!markings) continue;
  for (const line of fs.readFileSync(path.join(gen, name + ".jsonl"), "utf8").split("\n")) {
    if (line.trim()) restricted.add(JSON.parse(line).id);
  }
}
const users = path.join(work, "users.toml");
const tokens = {};
let usersText = "";
for (const [name, role, markings] of [["sam", "supervisor", "ALL"], ["ana", "analyst", "PUBLIC"], ["aud", "auditor", "ALL"]]) {
  const r = spawnSyncText(caselink, ["token", name, "--role", role, "--markings", markings]);
  usersText += r.stdout;
  tokens[name] = /cl_[0-9a-f]+/.exec(r.stderr)[0];
}
fs.writeFileSync(users, usersText);
const listed = JSON.parse(fs.readFileSync(path.join(gen, "watchlist.ftm.json"), "utf8").split("\n")[0]);

// stdout (the users file entry) and stderr (the token, printed once).
function spawnSyncText(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r;
}

const server = spawn(caselink, ["--store", store, "serve", "--users", users, "--listen", "127.0.0.1:0", "--web", web], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((resolve, reject) => {
  let text = "";
  server.stdout.on("data", (d) => {
    text += d;
    const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(text);
    if (m) resolve(m[1]);
  });
  server.on("exit", (code) => reject(new Error("serve exited " + code)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const shot = (page, name) => page.screenshot({ path: path.join(outDir, name + ".png"), fullPage: true });

async function signIn(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const bodies = [];
  page.on("response", async (r) => {
    try {
      bodies.push({ url: r.url(), text: await r.text() });
    } catch {
      /* a redirect or an aborted load has no body */
    }
  });
  page.on("pageerror", (e) => failures.push(`${name}: page error ${e.message}`));
  await page.goto(base + "/");
  await page.fill("#token", tokens[name]);
  await page.click("button[type=submit]");
  await page.waitForSelector('[data-testid="who"]');
  return { page, context, bodies };
}

try {
  // Sign-in: the user's name, role and markings always visible; a bad token refused.
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base + "/");
    await shot(page, "01-signin");
    await page.fill("#token", "cl_not_a_token");
    await page.click("button[type=submit]");
    await page.waitForSelector(".error:not([hidden])");
    check((await page.textContent(".error")).includes("not valid"), "a bad token is refused at sign-in");
    await context.close();
  }
  const { page, context } = await signIn("sam");
  const who = await page.textContent('[data-testid="who"]');
  check(who.includes("sam") && who.includes("supervisor") && who.includes("ALL"), "the header shows name, role and markings");

  // The queue: first paint, a filter, keyboard navigation.
  await page.waitForSelector("table.queue tbody tr");
  const firstPaint = Number(await page.getAttribute("table.queue", "data-first-paint-ms"));
  const rows = await page.locator("table.queue tbody tr").count();
  check(rows > 0, `the queue lists cases (${rows})`);
  await shot(page, "02-queue");
  const firstName = await page.textContent("table.queue tbody tr:first-child td:nth-child(3) a");
  await page.fill("#queue-q", firstName.split(" ")[0]);
  await page.waitForFunction(() => document.querySelector("table.queue")?.dataset.filterMs);
  const filterMs = Number(await page.getAttribute("table.queue", "data-filter-ms"));
  check((await page.locator("table.queue tbody tr").count()) >= 1, "search within the queue finds the person");
  await page.fill("#queue-q", "");
  await page.waitForTimeout(400);
  await page.locator("main h1").click();
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  check((await page.locator("tr.cursor").count()) === 1, "j / k move the cursor");
  await page.keyboard.press("Enter");
  await page.waitForSelector("ol.evidence li");
  const entity = decodeURIComponent(page.url().split("#/case/")[1]);
  check(Boolean(entity), "Enter opens the case");

  // The case: evidence, graph, timeline.
  await page.waitForSelector("#case-graph canvas");
  await page.waitForFunction(() => Number(document.getElementById("case-graph")?.dataset.nodes ?? 0) > 0);
  const nodesBefore = Number(await page.getAttribute("#case-graph", "data-nodes"));
  await page.click("details summary");
  await page.click(".node-list li:last-child button");
  await page.waitForFunction((n) => Number(document.getElementById("case-graph").dataset.nodes) > n, nodesBefore, { timeout: 10000 }).catch(() => {});
  const nodesAfter = Number(await page.getAttribute("#case-graph", "data-nodes"));
  check(nodesAfter > nodesBefore, `opening a node adds its neighbours (${nodesBefore} -> ${nodesAfter} nodes)`);
  await page.waitForSelector("#timeline li");
  const dates = await page.$$eval("#timeline li", (li) => li.map((x) => x.dataset.date).filter(Boolean));
  check(dates.length > 0, `the timeline lists events (${dates.length})`);
  await shot(page, "03-case");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#packet")]);
  const packetPath = path.join(outDir, "case-packet.html");
  await download.saveAs(packetPath);
  const packetText = fs.readFileSync(packetPath, "utf8");
  check(packetText.includes("Case packet:") && packetText.includes("Lines of evidence"), "the case packet downloads as one HTML document");
  if (dates.length > 1) {
    const from = dates[Math.floor(dates.length / 2)];
    await page.fill("#tl-from", from);
    await page.click(".range button");
    await page.waitForFunction((f) => [...document.querySelectorAll("#timeline li")].every((x) => !x.dataset.date || x.dataset.date >= f), from);
    const kept = await page.$$eval("#timeline li", (li) => li.map((x) => x.dataset.date));
    check(kept.every((d) => !d || d >= from) && kept.length < dates.length + 1, `the timeline filters from ${from} (${kept.length} events)`);
  }
  // Decide, and see it in the history and the queue.
  await page.selectOption("#d-status", "in_review");
  await page.fill("#d-reason", "browser test: calls to the network phone");
  await page.click(".decide button[type=submit]");
  await page.waitForFunction(() => document.getElementById("history")?.textContent.includes("in_review"));
  check((await page.textContent('[data-testid="case-status"]')).includes("in review"), "the decision shows on the case");
  // Follow a line of evidence to its record.
  await page.click("ol.evidence li .records a");
  await page.waitForSelector("dl.record");
  check((await page.textContent("dl.record")).includes("Reliability grade"), "a line of evidence leads to its record with its source and grade");
  await shot(page, "04-record");
  await page.goto(base + "/#/queue");
  await page.waitForSelector(`tr[data-entity="${entity}"]`);
  check((await page.textContent(`tr[data-entity="${entity}"]`)).includes("in review"), "the decision shows in the queue");
  // Bulk assignment, then the assignee filter: the case is the supervisor's own.
  await page.check(`tr[data-entity="${entity}"] input[type=checkbox]`);
  await page.fill("#bulk-assignee", "sam");
  await page.click(".bulk button");
  await page.waitForFunction((e) => document.querySelector(`tr[data-entity="${e}"]`)?.textContent.includes("sam"), entity);
  await page.fill("#queue-assignee", "me");
  await page.press("#queue-assignee", "Enter");
  await page.dispatchEvent("#queue-assignee", "change");
  await page.waitForFunction(() => document.querySelector("table.queue caption")?.textContent.match(/^(\d+) cases/)?.[1] === "1");
  check((await page.locator("table.queue tbody tr").count()) === 1 && (await page.textContent("table.queue tbody tr")).includes("sam"),
    "bulk assignment, then the assignee filter, leaves the one case assigned to me");
  await page.fill("#queue-assignee", "");
  await page.dispatchEvent("#queue-assignee", "change");

  // An export, started, waited for and downloaded.
  await page.click("details.exports summary");
  const [graphml] = await Promise.all([page.waitForEvent("download"), page.click("#export-graphml")]);
  const graphmlPath = path.join(outDir, "export.graphml");
  await graphml.saveAs(graphmlPath);
  check(fs.readFileSync(graphmlPath, "utf8").includes("<graphml"), "the evidence graph exports as GraphML");

  // Who is who: two records, the waterfall.
  await page.goto(base + "/#/entity/" + encodeURIComponent(entity));
  await page.waitForSelector("table.records tbody tr");
  const boxes = page.locator("table.records input[type=checkbox]");
  if ((await boxes.count()) >= 2) {
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await shot(page, "05-entity");
    await page.click("#compare");
    await page.waitForSelector('[data-testid="waterfall"] tbody tr');
    check((await page.textContent('[data-testid="verdict"]')).length > 10, "the pair has a verdict and a waterfall");
    await shot(page, "06-pair");
    // "Not the same": the pair is kept apart from then on.
    await page.fill("#link-reason", "browser test: different fathers' names at interview");
    await page.click("#link-not-same");
    await page.waitForFunction(() => document.querySelector('[data-testid="verdict"]')?.textContent.startsWith("Not joined"), null, { timeout: 60000 });
    check((await page.textContent('[data-testid="verdict"]')).includes("analyst"), "a not-the-same decision splits the pair, and says so");
  } else {
    check(false, "the first case's person has two Person records to compare");
  }

  // Screening.
  await page.goto(base + "/#/screen");
  await page.fill("#s-name", listed.properties.name[0]);
  await page.click(".screen button");
  await page.waitForSelector("#hits .hit");
  check((await page.locator("#hits .hit").count()) > 0, "screening a listed name finds it, explained token by token");
  // The same name in Cyrillic: found, and the romanisation shown.
  const cyrillic = { a: "а", b: "б", v: "в", g: "г", d: "д", e: "е", z: "з", i: "и", k: "к", l: "л", m: "м", n: "н", o: "о", p: "п", r: "р", s: "с", t: "т", u: "у", f: "ф" };
  const latin = listed.properties.name[0].replace(/[^A-Za-z ]/g, "").toLowerCase();
  if ([...latin].every((c) => c === " " || cyrillic[c])) {
    await page.fill("#s-name", [...latin].map((c) => cyrillic[c] ?? c).join(""));
    await page.click(".screen button");
    await page.waitForSelector("#hits .hit");
    check((await page.textContent("#hits")).includes("read as"), "a Cyrillic query's tokens show the romanisation they were compared in");
  }
  await shot(page, "07-screen");
  await page.goto(base + "/#/alerts");
  await page.waitForSelector("main h1");
  await shot(page, "08-alerts");
  await page.click("text=Sign out");
  await page.waitForSelector("#token");
  check(true, "sign-out returns to sign-in");
  await context.close();

  // The auditor: the log, verified, filtered.
  {
    const { page, context } = await signIn("aud");
    await page.waitForSelector('[data-testid="audit-verified"]');
    check((await page.textContent('[data-testid="audit-verified"]')).startsWith("Verified"), "the audit view shows the log verified");
    await page.fill("#a-actor", "sam");
    await page.click(".audit-filter button");
    await page.waitForFunction(() => location.hash.includes("actor=sam"));
    await page.waitForSelector("table.audit tbody tr");
    const actors = await page.$$eval("table.audit tbody tr td:nth-child(3)", (td) => td.map((x) => x.textContent));
    check(actors.length > 0 && actors.every((a) => a === "sam"), `the audit filters by user (${actors.length} events by sam)`);
    await shot(page, "09-audit");
    await context.close();
  }

  // A restricted analyst: nothing restricted in the DOM or in any response.
  {
    const { page, context, bodies } = await signIn("ana");
    await page.waitForSelector("table.queue");
    const visit = [];
    const ids = await page.$$eval("table.queue tbody tr", (tr) => tr.map((x) => x.dataset.entity));
    for (const id of ids.slice(0, 5)) visit.push("#/case/" + encodeURIComponent(id), "#/entity/" + encodeURIComponent(id));
    let dom = await page.textContent("body");
    for (const hash of visit) {
      await page.goto(base + "/" + hash);
      await page.waitForSelector("main h1, main .error");
      await page.waitForTimeout(300);
      dom += await page.textContent("body");
    }
    await shot(page, "10-restricted");
    const leaked = [...restricted].filter((id) => dom.includes(id) || bodies.some((b) => b.text.includes(`"${id}"`)));
    check(leaked.length === 0, `a PUBLIC analyst receives no restricted record (${restricted.size} checked over ${bodies.length} responses)` + (leaked.length ? `: ${leaked.slice(0, 5)}` : ""));
    check(!bodies.some((b) => b.text.includes("SECRET facilitator")), "nor a restricted seed's reason");
    await context.close();
  }

  console.log(`queue first paint ${firstPaint.toFixed(0)} ms, filter ${filterMs.toFixed(0)} ms (${rows} rows)`);
  const bundle = fs.readdirSync(path.join(web, "assets")).reduce((n, f) => n + fs.statSync(path.join(web, "assets", f)).size, 0);
  console.log(`bundle ${(bundle / 1024).toFixed(0)} KiB before gzip`);
} catch (e) {
  failures.push(String(e.stack ?? e));
} finally {
  await browser.close();
  server.kill("SIGTERM");
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${failures.length ? "FAILED" : "passed"}: ${failures.length} failures; screenshots in ${outDir}`);
for (const f of failures) console.log("FAIL", f);
process.exit(failures.length ? 1 : 0);
