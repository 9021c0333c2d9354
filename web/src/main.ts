// The analyst's workbench: sign-in, then one view per route (#/queue,
// #/case/ID, #/entity/ID, #/record/ID, #/pair?a=&b=, #/screen, #/alerts,
// #/audit). Every view is drawn from API calls under the user's token.
import "./style.css";
import { Api, ApiError, Me } from "./api";
import { clear, errorBox, h } from "./dom";
import { alertsView } from "./views/alerts";
import { auditView } from "./views/audit";
import { caseView } from "./views/case";
import { entityView, recordView } from "./views/entity";
import { pairView } from "./views/pair";
import { queueView } from "./views/queue";
import { screenView } from "./views/screen";

export interface Session {
  api: Api;
  me: Me;
}

let session: Session | null = null;
const root = document.getElementById("app")!;

function signIn(): void {
  clear(root);
  const token = h("input", { id: "token", type: "password", autocomplete: "off", required: true, "aria-describedby": "token-help" });
  const message = h("p", { role: "alert", class: "error", hidden: true });
  const form = h(
    "form",
    { class: "signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "caselink workbench"),
    h("label", { for: "token" }, "Token"),
    token,
    h("p", { id: "token-help", class: "hint" }, "The token your administrator made with caselink token. It is kept in this page's memory only: reloading signs you out."),
    h("button", { type: "submit" }, "Sign in"),
    message,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const api = new Api(token.value.trim());
    try {
      const me = await api.get<Me>("/v1/me");
      session = { api, me };
      token.value = "";
      if (!location.hash || location.hash === "#/") location.hash = home(me);
      render();
    } catch (e) {
      message.hidden = false;
      message.textContent = e instanceof ApiError && e.status === 401 ? "That token is not valid (or has expired)." : String(e);
    }
  });
  root.append(h("main", { id: "main" }, form));
  token.focus();
}

function home(me: Me): string {
  if (me.may.includes("triage")) return "#/queue";
  if (me.may.includes("audit")) return "#/audit";
  return "#/screen";
}

function signOut(): void {
  session = null;
  location.hash = "";
  signIn();
}

function shell(s: Session): HTMLElement {
  const nav: [string, string, string][] = [
    ["#/queue", "Queue", "triage"],
    ["#/alerts", "Alerts", "alerts"],
    ["#/screen", "Screening", "screen"],
    ["#/audit", "Audit", "audit"],
  ];
  const here = location.hash.split("?")[0];
  const header = h(
    "header",
    { class: "top" },
    h("a", { class: "skip", href: "#main", onclick: (e: Event) => { e.preventDefault(); document.getElementById("main")?.focus(); } }, "Skip to content"),
    h("span", { class: "brand" }, "caselink"),
    h(
      "nav",
      { "aria-label": "Main" },
      ...nav
        .filter(([, , action]) => s.me.may.includes(action))
        .map(([href, text]) => h("a", { href, "aria-current": here.startsWith(href) ? "page" : undefined }, text)),
    ),
    h(
      "div",
      { class: "who", "data-testid": "who" },
      h("span", { class: "name" }, s.me.name),
      h("span", { class: "role" }, s.me.role),
      h("span", { class: "markings", title: "The markings you may see" }, "markings: " + s.me.markings),
      h("button", { type: "button", onclick: signOut }, "Sign out"),
    ),
  );
  return header;
}

async function render(): Promise<void> {
  if (!session) return signIn();
  const s = session;
  clear(root);
  const main = h("main", { id: "main", tabindex: "-1" });
  root.append(shell(s), main);
  const [path, qs] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(qs ?? "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    switch (parts[0] ?? "") {
      case "":
      case "queue":
        return await queueView(s, main, params);
      case "case":
        return await caseView(s, main, parts[1]);
      case "entity":
        return await entityView(s, main, parts[1]);
      case "record":
        return await recordView(s, main, parts[1]);
      case "pair":
        return await pairView(s, main, params.get("a") ?? "", params.get("b") ?? "");
      case "screen":
        return screenView(s, main);
      case "alerts":
        return await alertsView(s, main);
      case "audit":
        return await auditView(s, main, params);
      default:
        main.append(h("h1", {}, "Not found"), h("p", {}, "No view here."));
    }
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut();
    main.append(errorBox(e));
  }
}

window.addEventListener("hashchange", () => void render());
render();
