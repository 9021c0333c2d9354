// Who is who: an entity's records with where each came from and why it
// belongs; pick two records to see why they are (or are not) one person.
import type { Session } from "../main";
import { seg } from "../api";
import { fixed, h, link, status } from "../dom";
import type { Entity, RecordView } from "../types";

const SHOWN = ["name", "birthDate", "passportNumber", "idNumber", "nationality", "phone", "accountNumber", "date", "startDate"];

function valuesOf(values: { property: string; value: string }[]): string {
  return values
    .filter((v) => SHOWN.includes(v.property))
    .map((v) => `${v.property}: ${v.value}`)
    .join("; ");
}

export async function entityView(s: Session, main: HTMLElement, id: string): Promise<void> {
  const e = await s.api.get<Entity>(`/v1/entities/${seg(id)}`);
  const picked: string[] = [];
  const compare = h("a", { class: "button", href: "#", "aria-disabled": "true", id: "compare" }, "Why, or why not, one person?");
  const hint = status("Pick two records to compare them.");
  const body = h("tbody");
  for (const r of e.records) {
    const box = h("input", { type: "checkbox", "aria-label": "Pick " + r.record_id, "data-record": r.record_id });
    box.addEventListener("change", () => {
      if (box.checked) picked.push(r.record_id);
      else picked.splice(picked.indexOf(r.record_id), 1);
      const ready = picked.length === 2;
      compare.setAttribute("aria-disabled", ready ? "false" : "true");
      compare.setAttribute("href", ready ? `#/pair?a=${encodeURIComponent(picked[0])}&b=${encodeURIComponent(picked[1])}` : "#");
      hint.textContent = ready ? `Compare ${picked[0]} and ${picked[1]}.` : "Pick two records to compare them.";
    });
    body.append(
      h(
        "tr",
        {},
        h("td", {}, r.schema === "Person" ? box : ""),
        h("td", {}, link("#/record/" + encodeURIComponent(r.record_id), r.record_id)),
        h("td", {}, r.source),
        h("td", {}, r.reliability),
        h("td", {}, r.markings.length ? r.markings.join(", ") : "none"),
        h("td", {}, valuesOf(r.values)),
        h("td", { class: "why" }, r.evidence),
      ),
    );
  }
  main.append(
    h("h1", {}, `${e.kind}: ${e.label}`),
    h("p", { class: "summary" }, `${e.entity_id} · ${e.records.length} records · confidence ${fixed(e.confidence)} · ${e.degree} links` + (e.hub ? " · HUB (triage tolls paths through it)" : "")),
    h(
      "table",
      { class: "records" },
      h("caption", {}, "Records, where each came from and why it belongs"),
      h(
        "thead",
        {},
        h("tr", {}, ...["Pick", "Record", "Source", "Grade", "Markings", "Values", "Why it belongs"].map((t) => h("th", { scope: "col" }, t))),
      ),
      body,
    ),
    hint,
    compare,
  );
  compare.addEventListener("click", (ev) => {
    if (compare.getAttribute("aria-disabled") === "true") ev.preventDefault();
  });
}

export async function recordView(s: Session, main: HTMLElement, id: string): Promise<void> {
  const r = await s.api.get<RecordView>(`/v1/records/${seg(id)}`);
  main.append(
    h("h1", {}, `Record ${r.record_id}`),
    h(
      "dl",
      { class: "record" },
      h("dt", {}, "Schema"),
      h("dd", {}, r.schema),
      h("dt", {}, "Source"),
      h("dd", {}, r.source),
      h("dt", {}, "Reliability grade"),
      h("dd", {}, r.reliability),
      h("dt", {}, "Markings"),
      h("dd", {}, r.markings.length ? r.markings.join(", ") : "none"),
      h("dt", {}, "Version"),
      h("dd", {}, String(r.version)),
      h("dt", {}, "In entity"),
      h("dd", {}, r.entity_id ? link("#/entity/" + encodeURIComponent(r.entity_id), `${r.entity_label} (${r.entity_id})`) : "none"),
    ),
    h(
      "table",
      { class: "values" },
      h("caption", {}, "Values as they arrived"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Property"), h("th", { scope: "col" }, "Value"))),
      h("tbody", {}, ...r.values.map((v) => h("tr", {}, h("td", {}, v.property), h("td", {}, v.value)))),
    ),
  );
}
