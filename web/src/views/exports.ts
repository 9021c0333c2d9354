// Exports of what the user may see (POST /v1/exports): started, polled
// until done, then downloaded (through fetch: the token goes in a header).
import type { Session } from "../main";
import { h, status } from "../dom";

interface Export {
  id: string;
  status: string;
  file?: string;
  error?: string;
  bytes?: number;
}

export function exportsBox(s: Session): HTMLElement {
  const said = status("");
  const start = async (what: string, format: string, label: string) => {
    said.textContent = `Exporting ${label}…`;
    try {
      let job = await s.api.post<Export>("/v1/exports", { what, format });
      while (job.status === "running") {
        await new Promise((r) => setTimeout(r, 300));
        job = await s.api.get<Export>(`/v1/exports/${encodeURIComponent(job.id)}`);
      }
      if (job.status !== "done" || !job.file) throw new Error(job.error ?? job.status);
      const blob = await s.api.blob(job.file);
      const a = h("a", { href: URL.createObjectURL(blob), download: job.file.split("/").slice(-2, -1)[0] + "." + (format === "ftm" ? "ftm.jsonl" : format) });
      document.body.append(a);
      a.click();
      a.remove();
      said.textContent = `${label}: ${job.bytes} bytes downloaded.`;
    } catch (e) {
      said.textContent = `${label} failed: ` + (e instanceof Error ? e.message : String(e));
    }
  };
  return h(
    "details",
    { class: "exports" },
    h("summary", {}, "Export what you may see"),
    h("button", { type: "button", id: "export-graphml", onclick: () => void start("graph", "graphml", "evidence graph (GraphML)") }, "Evidence graph, GraphML"),
    " ",
    h("button", { type: "button", id: "export-ftm", onclick: () => void start("graph", "ftm", "cited records (FtM)") }, "Cited records, FtM"),
    " ",
    h("button", { type: "button", id: "export-clusters", onclick: () => void start("clusters", "csv", "clusters (CSV)") }, "Clusters, CSV"),
    said,
  );
}
