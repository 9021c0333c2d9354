// Building the page from data without ever parsing it as HTML: every value
// from the API goes in as text (textContent, attributes), so a name or a
// record value cannot become markup or script.
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === "class") {
      el.className = String(value);
    } else if (key === "value" && "value" in el) {
      (el as unknown as HTMLInputElement).value = String(value);
    } else if (key === "checked" && "checked" in el) {
      (el as unknown as HTMLInputElement).checked = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function link(href: string, text: string, props: Props = {}): HTMLAnchorElement {
  return h("a", { href, ...props }, text);
}

export function fixed(x: number, digits = 3): string {
  return x.toFixed(digits);
}

export function signed(x: number): string {
  return (x >= 0 ? "+" : "\u2212") + Math.abs(x).toFixed(2);
}

// A status line read out by screen readers as it changes.
export function status(text: string): HTMLParagraphElement {
  return h("p", { class: "status", role: "status", "aria-live": "polite" }, text);
}

export function errorBox(e: unknown): HTMLParagraphElement {
  const text = e instanceof Error ? e.message : String(e);
  return h("p", { class: "error", role: "alert" }, "Error: " + text);
}
