// The evidence graph of a case (cytoscape.js): seed -> ... -> person, each
// link the record that states it. A node opens to its neighbours, a dozen at
// a time ("12 more"); hubs are marked in words and by a double border, kinds
// by shape and a label, so nothing is told by colour alone.
import cytoscape from "cytoscape";
import type { Core, ElementDefinition } from "cytoscape";
import type { Api } from "./api";
import { seg } from "./api";
import type { CaseGraph, GraphNode, Neighbours } from "./types";

const SHAPES: Record<string, string> = {
  Person: "ellipse",
  Phone: "round-rectangle",
  BankAccount: "diamond",
  Trip: "triangle",
  Event: "hexagon",
  Organization: "rectangle",
};
const OPEN_STEP = 12;

export interface EvidenceGraph {
  cy: Core;
  // Adds a node's neighbours (the next dozen when some are shown).
  expand(id: string): Promise<void>;
  // Shows only links dated within [from, to] (prefixes; empty: open); links
  // without a date stay.
  filterDates(from: string, to: string): void;
  filterKinds(kinds: Set<string>): void;
}

function label(n: GraphNode): string {
  const tags = [n.seed ? "SEED" : "", n.person ? "PERSON" : "", n.hub ? `HUB (${n.degree})` : ""].filter(Boolean);
  return `${n.kind}: ${n.label}` + (tags.length ? `\n[${tags.join(", ")}]` : "");
}

function nodeData(n: GraphNode): ElementDefinition {
  return {
    group: "nodes",
    data: { id: n.id, label: label(n), kind: n.kind, hub: n.hub ? 1 : 0, seed: n.seed ? 1 : 0, person: n.person ? 1 : 0, degree: n.degree },
  };
}

export function drawGraph(container: HTMLElement, api: Api, graph: CaseGraph, onOpen: (id: string) => void,
                          onChange: () => void = () => {}): EvidenceGraph {
  const elements: ElementDefinition[] = graph.nodes.map(nodeData);
  for (const e of graph.edges) {
    elements.push({
      group: "edges",
      data: { id: `${e.record_id}|${e.from}|${e.to}|${e.type}`, source: e.from, target: e.to, label: e.type + (e.date ? " " + e.date : ""), date: e.date, record: e.record_id },
    });
  }
  const cy = cytoscape({
    container,
    elements,
    wheelSensitivity: 0.3,
    // Panning and zooming draw a cached picture of the graph; labels too
    // small to read are not drawn: a few hundred nodes stay fluid.
    textureOnViewport: true,
    hideEdgesOnViewport: true,
    pixelRatio: 1,
    style: [
      {
        selector: "node",
        style: {
          shape: ((el: cytoscape.NodeSingular) => SHAPES[el.data("kind")] ?? "ellipse") as unknown as cytoscape.Css.NodeShape,
          "background-color": "#dbe4f0",
          "border-color": "#1f3b5c",
          "border-width": 2,
          label: "data(label)",
          "text-wrap": "wrap",
          "text-max-width": "160px",
          "font-size": 10,
          color: "#111",
          "text-valign": "bottom",
          "text-margin-y": 4,
          "min-zoomed-font-size": 8,
          width: 28,
          height: 28,
        },
      },
      { selector: "node[hub = 1]", style: { "border-style": "double", "border-width": 6 } },
      { selector: "node[seed = 1]", style: { "background-color": "#f5d0c5", "border-color": "#7a1f0a", width: 36, height: 36 } },
      { selector: "node[person = 1]", style: { "background-color": "#fff2b3", "border-color": "#5c4a00", width: 36, height: 36 } },
      { selector: "node[kind = 'more']", style: { shape: "round-rectangle", "background-color": "#fff", "border-style": "dashed" } },
      {
        selector: "edge",
        style: {
          width: 2,
          "line-color": "#55606e",
          "target-arrow-shape": "triangle",
          "target-arrow-color": "#55606e",
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 8,
          "text-rotation": "autorotate",
          color: "#222",
          "text-background-color": "#fff",
          "text-background-opacity": 0.8,
          "min-zoomed-font-size": 10,
        },
      },
      { selector: ".filtered", style: { display: "none" } },
    ],
    layout: { name: "breadthfirst", directed: false, padding: 20, spacingFactor: 1.1 },
  });
  const opened = new Map<string, number>();  // node -> neighbours shown so far
  cy.on("tap", "node", async (ev) => {
    const id: string = ev.target.id();
    if (ev.target.data("kind") === "more") {
      const from = ev.target.data("from") as string;
      ev.target.remove();
      return expand(from);
    }
    onOpen(id);
    if (!opened.has(id)) await expand(id);
  });

  async function expand(id: string): Promise<void> {
    const shown = opened.get(id) ?? 0;
    const near = await api.get<Neighbours>(`/v1/entities/${seg(id)}/neighbours`, { limit: shown + OPEN_STEP });
    opened.set(id, near.shown);
    const add: ElementDefinition[] = [];
    for (const n of near.neighbours) {
      if (cy.getElementById(n.id).empty()) add.push(nodeData(n));
      for (const l of n.links) {
        const [source, target] = l.direction === "out" ? [id, n.id] : [n.id, id];
        const eid = `${l.record_id}|${source}|${target}|${l.type}`;
        if (cy.getElementById(eid).empty()) {
          add.push({ group: "edges", data: { id: eid, source, target, label: l.type + (l.date ? " " + l.date : ""), date: l.date, record: l.record_id } });
        }
      }
    }
    if (near.more > 0) {
      add.push({ group: "nodes", data: { id: `more|${id}`, kind: "more", from: id, label: `${near.more} more` } });
      add.push({ group: "edges", data: { id: `more-edge|${id}`, source: id, target: `more|${id}`, label: "" } });
    }
    cy.getElementById(`more|${id}`).remove();
    const added = cy.add(add).nodes();
    // The new nodes on a ring around the one opened: the rest stays where
    // the reader left it (a layout of the whole graph moved everything and
    // took seconds at a few hundred nodes).
    const at = cy.getElementById(id).position();
    const radius = 90 + 6 * added.length;
    added.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, added.length);
      n.position({ x: at.x + radius * Math.cos(angle), y: at.y + radius * Math.sin(angle) });
    });
    cy.center(cy.getElementById(id));
    onChange();
  }

  return {
    cy,
    expand,
    filterDates(from: string, to: string) {
      cy.batch(() => {
        cy.edges().forEach((e) => {
          const d: string = e.data("date") ?? "";
          const out = d !== "" && ((from && d.slice(0, from.length) < from) || (to && d.slice(0, to.length) > to));
          e.toggleClass("filtered", Boolean(out));
        });
      });
    },
    filterKinds(kinds: Set<string>) {
      cy.batch(() => {
        cy.nodes().forEach((n) => {
          const k: string = n.data("kind");
          n.toggleClass("filtered", k !== "more" && !n.data("person") && !n.data("seed") && !kinds.has(k));
        });
      });
    },
  };
}
