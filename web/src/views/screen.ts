// Screening a name (any script) with birth date and country against the
// lists the user may see: each hit explained token by token, with the
// romanisation the match went through.
import type { Session } from "../main";
import { clear, errorBox, fixed, h, status } from "../dom";
import type { ScreenHit } from "../types";

export function screenView(s: Session, main: HTMLElement): void {
  const name = h("input", { id: "s-name", required: true, size: 32, lang: "", autocomplete: "off" });
  const birth = h("input", { id: "s-birth", placeholder: "YYYY-MM-DD", size: 12 });
  const country = h("input", { id: "s-country", placeholder: "ISO code, e.g. sy", size: 6 });
  const out = h("div", { id: "hits" });
  const said = status("");
  const form = h(
    "form",
    { class: "screen" },
    h("label", { for: "s-name" }, "Name"),
    name,
    h("label", { for: "s-birth" }, "Birth date"),
    birth,
    h("label", { for: "s-country" }, "Country"),
    country,
    h("button", { type: "submit" }, "Screen"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clear(out);
    said.textContent = "Screening…";
    try {
      const body: Record<string, unknown> = { name: name.value, limit: 10 };
      if (birth.value) body.birth_date = birth.value;
      if (country.value) body.countries = [country.value];
      const r = await s.api.post<{ hits: ScreenHit[]; entries: number; threshold: number; warning?: string }>("/v1/screen", body);
      said.textContent = `${r.hits.length} hits against ${r.entries} entries (match at ${r.threshold}).` + (r.warning ? " " + r.warning : "");
      for (const hit of r.hits) {
        out.append(
          h(
            "article",
            { class: "hit" },
            h("h2", {}, `${hit.name} — ${hit.list} ${hit.source_id}`),
            h("p", {}, h("strong", {}, hit.match ? "Match" : "Below the threshold"), ` · score ${fixed(hit.score)} · name ${fixed(hit.name_score)} (${hit.name_kind})`),
            h("p", { class: "why" }, hit.explanation),
            h(
              "table",
              { class: "tokens" },
              h("caption", {}, "Token by token"),
              h("thead", {}, h("tr", {}, ...["Query", "Listed", "How", "Similarity", "Weight"].map((t) => h("th", { scope: "col" }, t)))),
              h(
                "tbody",
                {},
                ...hit.tokens.map((t) => h("tr", {}, h("td", {}, t.query + (t.romanized ? ` (read as ${t.romanized})` : "")), h("td", {}, t.listed), h("td", {}, t.how), h("td", {}, fixed(t.similarity, 2)), h("td", {}, fixed(t.weight, 2)))),
              ),
            ),
            hit.attributes.length
              ? h("ul", {}, ...hit.attributes.map((a) => h("li", {}, `${a.attribute}: ${a.query || "—"} vs ${a.listed || "—"}: ${a.outcome} (${a.effect >= 0 ? "+" : ""}${a.effect.toFixed(2)})`)))
              : null,
          ),
        );
      }
    } catch (err) {
      said.textContent = "";
      out.append(errorBox(err));
    }
  });
  main.append(h("h1", {}, "Screening"), h("p", { class: "hint" }, "A name in any script: it is compared in every romanisation caselink knows."), form, said, out);
  name.focus();
}
