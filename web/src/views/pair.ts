// Why two records are one person, or why not: Splink's waterfall of match
// weights (each comparison's log-odds added to the prior), the name tokens
// paired with the romanisation used, and the verdict.
import type { Session } from "../main";
import { h, signed } from "../dom";
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
}
