// What changed since this clearance last looked: newly linked people, risers,
// closed cases with new evidence.
import type { Session } from "../main";
import { fixed, h, link } from "../dom";
import type { Alert } from "../types";

export async function alertsView(s: Session, main: HTMLElement): Promise<void> {
  const r = await s.api.get<{ baseline: boolean; alerts: Alert[] }>("/v1/alerts");
  main.append(h("h1", {}, "Alerts"));
  if (r.baseline) main.append(h("p", {}, "First look: this sets the baseline the next alerts are measured from."));
  if (!r.alerts.length) main.append(h("p", {}, "Nothing changed since the last look."));
  main.append(
    h(
      "ul",
      { class: "alerts" },
      ...r.alerts.map((a) =>
        h(
          "li",
          {},
          link("#/case/" + encodeURIComponent(a.entity_id), a.name),
          ` — ${a.why}: rank ${a.rank}` + (a.previous_rank ? ` (was ${a.previous_rank})` : "") + `, score ${fixed(a.score)}, ${a.new_records} new records, status ${a.status || "new"}`,
        ),
      ),
    ),
  );
}
