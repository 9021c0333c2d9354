// A case: the ranked person's lines of evidence in words (each record a
// link), the evidence graph, the timeline with a date range that filters
// the graph too, watchlist hits, the decision form and the history.
import type { Session } from "../main";
import { seg } from "../api";
import { clear, errorBox, fixed, h, link, status } from "../dom";
import { drawGraph, EvidenceGraph } from "../graph";
import type { CaseGraph, CaseloadHit, CaseRow, History, Timeline } from "../types";

const KINDS = ["Person", "Phone", "BankAccount", "Trip", "Event", "Organization"];

export async function caseView(s: Session, main: HTMLElement, id: string): Promise<void> {
  const row = await s.api.get<CaseRow>(`/v1/cases/${seg(id)}`);
  main.append(
    h("h1", {}, row.name),
    h(
      "p",
      { class: "summary" },
      `Rank ${row.rank} · score ${fixed(row.score)} (strongest path ${fixed(row.path)}, lines ${fixed(row.lines)}, walk ${fixed(row.walk, 2)}) · status `,
      h("strong", { "data-testid": "case-status" }, (row.status || "new").replace("_", " ")),
      row.assignee ? ` · assigned to ${row.assignee}` : "",
      " · ",
      link("#/entity/" + encodeURIComponent(row.entity_id), "who is who"),
      " · ",
      h("button", { type: "button", id: "packet", onclick: () => void packet() }, "Download the case packet"),
    ),
    row.weak ? h("p", { class: "weak" }, "Weak: " + row.weak) : "",
  );

  // The case as one HTML document to print and file.
  async function packet(): Promise<void> {
    const blob = await s.api.blob(`/v1/cases/${seg(row.entity_id)}/packet`);
    const a = h("a", { href: URL.createObjectURL(blob), download: `case-${row.entity_id}.html` });
    document.body.append(a);
    a.click();
    a.remove();
  }

  // Lines of evidence, each record a link to it.
  const lines = h("ol", { class: "evidence" });
  for (const e of row.evidence) {
    lines.append(
      h(
        "li",
        {},
        e.text,
        h("span", { class: "records" }, " — records: ", ...e.record_ids.flatMap((r, i) => [i ? ", " : "", link("#/record/" + encodeURIComponent(r), r)])),
      ),
    );
  }
  main.append(h("section", { "aria-labelledby": "ev-h" }, h("h2", { id: "ev-h" }, "Lines of evidence"), lines));

  // The graph and the timeline, filtered together.
  const graphBox = h("div", { class: "graph", id: "case-graph", role: "img", "aria-label": "Evidence graph: the seed, the links and the person" });
  const picked = status("Select a node, or a button below, to open its neighbours.");
  // The graph's nodes as buttons too: the keyboard's way in, and a list a
  // screen reader can read.
  const nodeList = h("ul", { class: "node-list", "aria-label": "Nodes of the graph" });
  const kindBoxes = KINDS.map((k) => h("input", { type: "checkbox", id: "kind-" + k, checked: true, "data-kind": k }));
  const from = h("input", { id: "tl-from", placeholder: "YYYY-MM-DD", size: 10 });
  const to = h("input", { id: "tl-to", placeholder: "YYYY-MM-DD", size: 10 });
  const timeline = h("ol", { class: "timeline", id: "timeline" });
  const timelineNote = status("");
  main.append(
    h(
      "section",
      { "aria-labelledby": "graph-h" },
      h("h2", { id: "graph-h" }, "Evidence graph"),
      h("fieldset", { class: "kinds" }, h("legend", {}, "Show"), ...kindBoxes.flatMap((b, i) => [b, h("label", { for: b.id }, KINDS[i] + " ")])),
      graphBox,
      picked,
      h("details", {}, h("summary", {}, "Nodes (open one's neighbours)"), nodeList),
    ),
    h(
      "section",
      { "aria-labelledby": "tl-h" },
      h("h2", { id: "tl-h" }, "Timeline"),
      h(
        "form",
        { class: "range", onsubmit: (e: Event) => { e.preventDefault(); void loadTimeline(); } },
        h("label", { for: "tl-from" }, "From"),
        from,
        h("label", { for: "tl-to" }, "To"),
        to,
        h("button", { type: "submit" }, "Filter"),
      ),
      timelineNote,
      timeline,
    ),
  );

  let graph: EvidenceGraph | null = null;
  try {
    const g = await s.api.get<CaseGraph>(`/v1/cases/${seg(id)}/graph`);
    const listNodes = () => {
      clear(nodeList);
      graph!.cy.nodes().forEach((n) => {
        const id: string = n.id();
        const more = n.data("kind") === "more";
        nodeList.append(
          h("li", {}, h("button", {
            type: "button",
            "data-node": id,
            onclick: async () => {
              picked.textContent = more ? "Opening the next dozen…" : `Opening ${n.data("label")}…`;
              if (more) n.remove();
              await graph!.expand(more ? n.data("from") : id);
              picked.textContent = more ? "More neighbours added." : `Opened ${id}: its neighbours are added.`;
            },
          }, more ? n.data("label") : n.data("label").replace("\n", " "))),
        );
      });
      graphBox.dataset.nodes = String(graph!.cy.nodes().length);
    };
    graph = drawGraph(graphBox, s.api, g, (node) => {
      picked.textContent = `Opened ${node}: its neighbours are added (a "more" node opens the next dozen).`;
    }, () => listNodes());
    listNodes();
  } catch (e) {
    graphBox.append(errorBox(e));
  }
  for (const b of kindBoxes) {
    b.addEventListener("change", () => graph?.filterKinds(new Set(kindBoxes.filter((x) => x.checked).map((x) => x.dataset.kind!))));
  }

  async function loadTimeline(): Promise<void> {
    const t = await s.api.get<Timeline>(`/v1/entities/${seg(row.entity_id)}/timeline`, { from: from.value, to: to.value, limit: 500 });
    clear(timeline);
    for (const ev of t.events) {
      timeline.append(
        h(
          "li",
          { "data-date": ev.date },
          h("time", { datetime: ev.date }, ev.date),
          ` ${ev.schema} (${ev.links.join(", ")}) with `,
          ...ev.with.flatMap((w, i) => [i ? ", " : "", link("#/entity/" + encodeURIComponent(w.id), `${w.kind} ${w.label}`)]),
          ev.via ? ` — via ${ev.via.kind} ${ev.via.label}` : "",
          " · ",
          link("#/record/" + encodeURIComponent(ev.record_id), ev.record_id),
          ` (${ev.source}, ${ev.reliability})`,
        ),
      );
    }
    timelineNote.textContent = `${t.total} events` + (t.more ? `, ${t.shown} shown` : "") + (from.value || to.value ? ` between ${from.value || "the start"} and ${to.value || "now"}` : "");
    graph?.filterDates(from.value, to.value);
  }
  try {
    await loadTimeline();
  } catch (e) {
    timeline.append(errorBox(e));
  }

  // Watchlist hits on the person's records.
  const hitsBox = h("section", { "aria-labelledby": "hits-h" }, h("h2", { id: "hits-h" }, "Watchlist hits"));
  main.append(hitsBox);
  try {
    const hits = await s.api.get<{ hits: CaseloadHit[] }>("/v1/hits", { threshold: 0.5 });
    const mine = hits.hits.filter((x) => row.record_ids.includes(x.record_id));
    hitsBox.append(
      mine.length
        ? h("ul", {}, ...mine.map((x) => h("li", {}, `${x.list} ${x.source_id} "${x.name}" ${fixed(x.score)} on record ${x.record_id} (a lead to check, not a finding): ${x.explanation}`)))
        : h("p", {}, "None recorded on this person's records (screening --all records them)."),
    );
  } catch (e) {
    hitsBox.append(errorBox(e));
  }

  // Decide, and the history.
  const history = h("ol", { class: "history", id: "history" });
  const said = status("");
  const statusSel = h("select", { id: "d-status" }, h("option", { value: "" }, "(no change)"), ...["new", "in_review", "linked", "dismissed"].map((v) => h("option", { value: v }, v.replace("_", " "))));
  const reason = h("input", { id: "d-reason", size: 40 });
  const note = h("textarea", { id: "d-note", rows: 2, cols: 40 });
  const assign = s.me.may.includes("assign") ? h("input", { id: "d-assign" }) : null;
  const form = h(
    "form",
    { class: "decide" },
    h("label", { for: "d-status" }, "Status"),
    statusSel,
    h("label", { for: "d-reason" }, "Reason"),
    reason,
    assign ? h("label", { for: "d-assign" }, "Assign to") : null,
    assign,
    h("label", { for: "d-note" }, "Note"),
    note,
    h("button", { type: "submit" }, "Record decision"),
    said,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, string> = {};
    if (statusSel.value) body.status = statusSel.value;
    if (reason.value) body.reason = reason.value;
    if (note.value) body.note = note.value;
    if (assign?.value) body.assign = assign.value;
    try {
      await s.api.post(`/v1/cases/${seg(row.entity_id)}/decisions`, body);
      said.textContent = "Recorded.";
      note.value = "";
      await loadHistory();
    } catch (err) {
      said.textContent = "Not recorded: " + (err instanceof Error ? err.message : String(err));
    }
  });
  async function loadHistory(): Promise<void> {
    const hist = await s.api.get<History>(`/v1/cases/${seg(row.entity_id)}/history`);
    clear(history);
    for (const ev of hist.history) {
      history.append(h("li", {}, `${ev.at} ${ev.actor}: ` + (ev.decision ? `${ev.decision}${ev.reason ? " — " + ev.reason : ""}` : `note: ${ev.note ?? ""}`)));
    }
    if (!hist.history.length) history.append(h("li", {}, "No decision yet."));
    main.querySelector('[data-testid="case-status"]')!.textContent = (hist.status || "new").replace("_", " ");
  }
  main.append(h("section", { "aria-labelledby": "dec-h" }, h("h2", { id: "dec-h" }, "Decision"), form, h("h3", {}, "History"), history));
  await loadHistory();
}
