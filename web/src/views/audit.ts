// For auditors: who saw what and when, filtered by user and action (an
// entity id finds the events that name it), with the log's verification.
import type { Session } from "../main";
import { h } from "../dom";
import type { AuditEvent } from "../types";

export async function auditView(s: Session, main: HTMLElement, params: URLSearchParams): Promise<void> {
  const actor = h("input", { id: "a-actor", value: params.get("actor") ?? "" });
  const action = h("input", { id: "a-action", value: params.get("action") ?? "" });
  const entity = h("input", { id: "a-entity", value: params.get("entity") ?? "" });
  const form = h(
    "form",
    { class: "audit-filter" },
    h("label", { for: "a-actor" }, "User"),
    actor,
    h("label", { for: "a-action" }, "Action"),
    action,
    h("label", { for: "a-entity" }, "Entity or record"),
    entity,
    h("button", { type: "submit" }, "Filter"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (actor.value) q.set("actor", actor.value);
    if (action.value) q.set("action", action.value);
    if (entity.value) q.set("entity", entity.value);
    location.hash = "#/audit?" + q.toString();
  });
  const check = await s.api.get<{ ok: boolean; events: number; head: string; fault: string }>("/v1/audit/verify");
  // The latest thousand events (oldest first from `after`), or the first
  // thousand that match a filter.
  const size = Number(check.head.split(":")[0]);
  const filtered = Boolean(params.get("actor") || params.get("action"));
  const page = await s.api.get<{ head: string; events: AuditEvent[] }>("/v1/audit", {
    actor: params.get("actor") ?? undefined,
    action: params.get("action") ?? undefined,
    after: filtered ? undefined : Math.max(0, size - 1000),
    limit: 1000,
  });
  const wanted = params.get("entity") ?? "";
  // Newest first; an entity is found in the events' detail.
  const events = page.events.filter((e) => !wanted || e.detail.includes(wanted)).reverse();
  main.append(
    h("h1", {}, "Audit log"),
    h(
      "p",
      { class: check.ok ? "verdict joined" : "verdict apart", "data-testid": "audit-verified", role: "status" },
      h("strong", {}, check.ok ? "Verified: " : "NOT intact: "),
      check.ok ? `all ${check.events} events hash to the tree head ${check.head}.` : check.fault,
    ),
    form,
    h(
      "table",
      { class: "audit" },
      h("caption", {}, `${events.length} events` + (page.events.length === 1000 ? " (the first 1,000 that match)" : "")),
      h("thead", {}, h("tr", {}, ...["#", "When", "Who", "Action", "Detail"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        ...events.map((e) => h("tr", {}, h("td", {}, String(e.seq)), h("td", {}, e.at), h("td", {}, e.actor), h("td", {}, e.action), h("td", { class: "detail" }, e.detail))),
      ),
    ),
  );
}
