// The review queue: my open cases first, filtered by status, assignee and
// alert, searched, sorted, paged; bulk assignment for supervisors; j / k to
// move, Enter to open.
import type { Session } from "../main";
import type { Queue } from "../types";
import { clear, errorBox, fixed, h, status } from "../dom";
import { exportsBox } from "./exports";

const STATUSES = ["new", "in_review", "linked", "dismissed"];
const PAGE = 100;

export async function queueView(s: Session, main: HTMLElement, params: URLSearchParams): Promise<void> {
  const state = {
    mine: params.get("mine") !== "0",
    status: params.get("status") ?? "",
    alert: params.get("alert") ?? "",
    assignee: params.get("assignee") ?? "",
    q: params.get("q") ?? "",
    sort: params.get("sort") ?? "rank",
    offset: Number(params.get("offset") ?? 0),
    // The cut (#/queue?min_score=0 lists everyone the seeds reach).
    minScore: params.get("min_score") ?? undefined,
  };
  const started = performance.now();
  let firstPaint = true;
  const progress = status("Ranking…");
  const counts = h("div", { class: "counts", role: "group", "aria-label": "Cases per status" });
  const search = h("input", { type: "search", id: "queue-q", value: state.q, placeholder: "name, entity, record or case id" });
  const alertSel = h(
    "select",
    { id: "queue-alert" },
    ...[["", "any"], ["new", "newly linked"], ["risen", "risen"], ["new_evidence", "closed, new evidence"]].map(([v, t]) =>
      h("option", { value: v, selected: state.alert === v }, t),
    ),
  );
  const assigneeIn = h("input", { id: "queue-assignee", value: state.assignee, size: 10, placeholder: "anyone", list: "assignee-hints" });
  const assigneeHints = h("datalist", { id: "assignee-hints" }, h("option", { value: "me" }), h("option", { value: "none" }));
  const sortSel = h(
    "select",
    { id: "queue-sort" },
    ...["rank", "score", "name", "status"].map((v) => h("option", { value: v, selected: state.sort === v }, v)),
  );
  const mine = h("input", { type: "checkbox", id: "queue-mine", checked: state.mine });
  const table = h("table", { class: "queue", "aria-describedby": "queue-caption" });
  const pager = h("div", { class: "pager" });
  const bulk = h("div", { class: "bulk" });
  const canAssign = s.me.may.includes("assign");
  const selected = new Set<string>();
  let rows: HTMLTableRowElement[] = [];
  let cursor = 0;

  main.append(
    h("h1", {}, "Review queue"),
    h(
      "div",
      { class: "filters" },
      h("label", { for: "queue-mine" }, mine, " My cases first (assigned to me)"),
      h("label", { for: "queue-q" }, "Search within"),
      search,
      h("label", { for: "queue-alert" }, "Alert"),
      alertSel,
      h("label", { for: "queue-assignee" }, "Assignee"),
      assigneeIn,
      assigneeHints,
      h("label", { for: "queue-sort" }, "Sort by"),
      sortSel,
    ),
    counts,
    progress,
    canAssign ? bulk : "",
    table,
    pager,
    h("p", { class: "hint" }, "Keys: j / k move, Enter opens the case."),
    exportsBox(s),
  );

  async function load(): Promise<void> {
    const t0 = performance.now();
    progress.textContent = "Ranking…";
    const query = {
      status: state.status || undefined,
      alert: state.alert || undefined,
      assignee: state.assignee || undefined,
      q: state.q || undefined,
      sort: state.sort,
      offset: state.offset,
      limit: PAGE,
      min_score: state.minScore,
    };
    let page: Queue;
    let mineFirst: Queue | null = null;
    try {
      // My open cases first, then everyone's: both asked at once.
      const mine = state.mine && state.offset === 0 && !state.assignee
        ? s.api.get<Queue>("/v1/queue", { ...query, assignee: "me", status: state.status || "new,in_review" })
        : Promise.resolve(null);
      [mineFirst, page] = await Promise.all([mine, s.api.get<Queue>("/v1/queue", query)]);
    } catch (e) {
      progress.replaceWith(errorBox(e));
      return;
    }
    const seen = new Set<string>();
    const cases = [...(mineFirst?.cases ?? []), ...page.cases].filter((c) => !seen.has(c.entity_id) && seen.add(c.entity_id));
    clear(counts);
    counts.append(
      h("button", { type: "button", "aria-pressed": state.status === "" ? "true" : "false", onclick: () => setStatus("") }, "open"),
      ...STATUSES.map((st) =>
        h(
          "button",
          { type: "button", "aria-pressed": state.status === st ? "true" : "false", "data-status": st, onclick: () => setStatus(st) },
          `${st.replace("_", " ")} (${page.counts[st] ?? 0})`,
        ),
      ),
    );
    clear(table);
    table.append(
      h("caption", { id: "queue-caption" }, `${page.total} cases` + (mineFirst?.cases.length ? `, ${mineFirst.cases.length} of them yours first` : "")),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          canAssign ? h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Select")) : null,
          h("th", { scope: "col" }, "Rank"),
          h("th", { scope: "col" }, "Person"),
          h("th", { scope: "col" }, "Score"),
          h("th", { scope: "col" }, "Status"),
          h("th", { scope: "col" }, "Assignee"),
          h("th", { scope: "col" }, "Strongest evidence"),
        ),
      ),
    );
    const body = h("tbody");
    rows = cases.map((c) => {
      const box = canAssign
        ? h("input", {
            type: "checkbox",
            "aria-label": "Select " + c.name,
            checked: selected.has(c.entity_id),
            onchange: (e: Event) => ((e.target as HTMLInputElement).checked ? selected.add(c.entity_id) : selected.delete(c.entity_id)),
          })
        : null;
      return h(
        "tr",
        { "data-entity": c.entity_id, tabindex: "-1" },
        box ? h("td", {}, box) : null,
        h("td", {}, String(c.rank)),
        h("td", {}, h("a", { href: "#/case/" + encodeURIComponent(c.entity_id) }, c.name)),
        h("td", {}, h("meter", { min: 0, max: 1, value: c.score, "aria-label": "score" }), " ", fixed(c.score)),
        h("td", { class: "st-" + (c.status || "new") }, (c.status || "new").replace("_", " ")),
        h("td", {}, c.assignee || "—"),
        // The link that ranked them, rather than who they are.
        h("td", { class: "ev" }, (c.evidence.find((e) => !e.text.includes(" is one person in ")) ?? c.evidence[0])?.text ?? c.weak ?? ""),
      );
    });
    body.append(...rows);
    table.append(body);
    cursor = Math.min(cursor, Math.max(0, rows.length - 1));
    mark();
    clear(pager);
    const last = Math.min(page.offset + PAGE, page.total);
    pager.append(
      h("button", { type: "button", disabled: page.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); void load(); } }, "Previous"),
      ` ${page.total ? page.offset + 1 : 0}–${last} of ${page.total} `,
      h("button", { type: "button", disabled: last >= page.total, onclick: () => { state.offset += PAGE; void load(); } }, "Next"),
    );
    const ms = performance.now() - (firstPaint ? started : t0);
    table.dataset[firstPaint ? "firstPaintMs" : "filterMs"] = ms.toFixed(1);
    firstPaint = false;
    progress.textContent = `${page.total} cases ranked.`;
  }

  function setStatus(st: string): void {
    state.status = st;
    state.offset = 0;
    void load();
  }

  function mark(): void {
    rows.forEach((r, i) => r.classList.toggle("cursor", i === cursor));
    rows[cursor]?.setAttribute("aria-selected", "true");
  }

  if (canAssign) {
    const who = h("input", { id: "bulk-assignee", placeholder: "user name" });
    const said = status("");
    bulk.append(
      h("label", { for: "bulk-assignee" }, "Assign selected to"),
      who,
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            if (!selected.size || !who.value) return;
            try {
              const r = await s.api.post<{ assigned: number }>("/v1/cases/assign", { entities: [...selected], assignee: who.value });
              said.textContent = `${r.assigned} assigned to ${who.value}.`;
              selected.clear();
              void load();
            } catch (e) {
              said.textContent = String(e);
            }
          },
        },
        "Assign",
      ),
      said,
    );
  }

  let typing: number | undefined;
  search.addEventListener("input", () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(() => {
      state.q = search.value;
      state.offset = 0;
      void load();
    }, 150);
  });
  alertSel.addEventListener("change", () => {
    state.alert = alertSel.value;
    state.offset = 0;
    void load();
  });
  assigneeIn.addEventListener("change", () => {
    state.assignee = assigneeIn.value.trim();
    state.offset = 0;
    void load();
  });
  sortSel.addEventListener("change", () => {
    state.sort = sortSel.value;
    void load();
  });
  mine.addEventListener("change", () => {
    state.mine = mine.checked;
    void load();
  });
  const onKey = (e: KeyboardEvent) => {
    if (!document.body.contains(table)) return document.removeEventListener("keydown", onKey);
    const target = e.target as HTMLElement;
    if (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA") return;
    if (e.key === "j") cursor = Math.min(cursor + 1, rows.length - 1);
    else if (e.key === "k") cursor = Math.max(cursor - 1, 0);
    else if (e.key === "Enter" && rows[cursor]) {
      location.hash = "#/case/" + encodeURIComponent(rows[cursor].dataset.entity ?? "");
      return;
    } else return;
    e.preventDefault();
    rows.forEach((r) => r.removeAttribute("aria-selected"));
    mark();
    rows[cursor]?.focus();
  };
  document.addEventListener("keydown", onKey);
  await load();
}
