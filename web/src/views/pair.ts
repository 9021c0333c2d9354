// Why two records are one person, or why not: Splink's waterfall of match
// weights (each comparison's log-odds added to the prior), the name tokens
// paired with the romanisation used, and the verdict.
import type { Session } from "../main";
import { clear, h, signed, status } from "../dom";
import type { PairReport } from "../types";

export async function pairView(s: Session, main: HTMLElement, a: string, b: string): Promise<void> {
  const p = await s.api.get<PairReport>("/v1/pairs", { a, b });
  const steps = [{ comparison: "prior", level: "", a: "", b: "", weight: p.prior }, ...p.steps];
  const scale = Math.max(1, ...steps.map((x) => Math.abs(x.weight)));
  let total = 0;
  const rows = steps.map((x) => {
    total += x.weight;
    const width = (Math.abs(x.weight) / scale) * 45;
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, x.comparison),
      h("td", {}, x.level),
      h("td", { class: "vals" }, x.a || x.b ? `${x.a || "—"} | ${x.b || "—"}` : ""),
      h(
        "td",
        { class: "bar" },
        h("span", {
          class: x.weight >= 0 ? "up" : "down",
          style: `width:${width.toFixed(1)}%;margin-left:${x.weight >= 0 ? 50 : 50 - width}%`,
          "aria-hidden": "true",
        }),
      ),
      h("td", { class: "num" }, signed(x.weight) + (x.weight > 0 ? " for" : x.weight < 0 ? " against" : "")),
      h("td", { class: "num" }, signed(total)),
    );
  });
  main.append(
    h("h1", {}, `${a} and ${b}`),
    h(
      "p",
      { class: p.joined ? "verdict joined" : "verdict apart", "data-testid": "verdict" },
      h("strong", {}, p.joined ? "One person. " : "Not joined. "),
      p.verdict,
    ),
    h("p", {}, `Match probability ${p.probability.toFixed(4)} (log-odds ${signed(p.log_odds)}).`),
    h(
      "table",
      { class: "waterfall", "data-testid": "waterfall" },
      h("caption", {}, "Waterfall of match weights: each comparison adds its log-odds to the prior"),
      h(
        "thead",
        {},
        h("tr", {}, ...["Comparison", "Level", "Values", "Weight", "Log-odds", "Running total"].map((t) => h("th", { scope: "col" }, t))),
      ),
      h("tbody", {}, ...rows),
    ),
    h("h2", {}, "Name tokens"),
    h("ul", { class: "tokens" }, ...p.name_tokens.map((t) => h("li", {}, t))),
  );
  if (s.me.may.includes("decide")) main.append(decision(s, main, a, b));
}

// "The same" / "not the same", with a reason: kept by record id, audited,
// and applied by the resolution the next view reads.
function decision(s: Session, main: HTMLElement, a: string, b: string): HTMLElement {
  const reason = h("input", { id: "link-reason", size: 48, required: true });
  const said = status("");
  const send = async (same: boolean) => {
    if (!reason.value.trim()) {
      said.textContent = "Say why first: the reason goes to the audit log.";
      reason.focus();
      return;
    }
    try {
      await s.api.post("/v1/links", { a, b, same, reason: reason.value.trim() });
      clear(main);
      await pairView(s, main, a, b);
      main.append(status(same ? "Recorded: one person." : "Recorded: never one person."));
    } catch (e) {
      said.textContent = "Not recorded: " + (e instanceof Error ? e.message : String(e));
    }
  };
  return h(
    "section",
    { "aria-labelledby": "link-h" },
    h("h2", { id: "link-h" }, "Your decision"),
    h("label", { for: "link-reason" }, "Reason"),
    " ",
    reason,
    " ",
    h("button", { type: "button", id: "link-same", onclick: () => void send(true) }, "The same person"),
    " ",
    h("button", { type: "button", id: "link-not-same", onclick: () => void send(false) }, "Not the same person"),
    said,
  );
}
