/**
 * Tiny DOM helpers for the explorer: element creation with attributes and children, table
 * rendering, and lookup of required elements by id. Browser only.
 */

/** Attributes (strings; `false`/undefined omitted) and children (nodes or text). */
export function h(
  tag: string,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

/** The element with this id (throws when the page lacks it). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`page has no #${id}`);
  return el as T;
}

/** A table with a header row and string cells; `rowAttrs` adds attributes per body row. */
export function table(
  headers: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | Node>>,
  options: { id?: string; rowAttrs?: (i: number) => Record<string, string | boolean | undefined> } = {},
): HTMLElement {
  const head = h("thead", {}, h("tr", {}, ...headers.map((x) => h("th", { scope: "col" }, x))));
  const body = h("tbody");
  rows.forEach((r, i) => {
    body.append(h("tr", options.rowAttrs?.(i) ?? {}, ...r.map((c) => h("td", {}, c))));
  });
  return h("table", { id: options.id }, head, body);
}

/** Replaces an element's children. */
export function fill(el: HTMLElement, ...children: Array<Node | string>): void {
  el.replaceChildren(...children);
}
