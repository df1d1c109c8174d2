/**
 * The explorer's "changes" view: the change data feed of a version range, read in the browser
 * with readChangeRows over the session's counted, cached store. It shows the number of rows per
 * `_change_type` per version (a read of the change columns only: added and removed files cost
 * their footers, change data files one column), then the first rows with every column. Each
 * history entry gets a "changes" button for its version; the form takes any range and a WHERE
 * predicate. The view builds its own section (appended to `main`), so the page shell stays as is.
 */
import { planChanges, readChangeRows } from "../../src/browser/index.js";
import { fill, h, table } from "./dom.js";
import type { TableSession } from "./explorer.js";
import { formatCell, schemaFields, type SchemaField } from "./format.js";

/** What the view needs from the page. */
export interface ChangesHost {
  /** Runs an action with the page's loading state, errors and traffic report. */
  act(label: string, action: (s: TableSession, gen: number) => Promise<void>): Promise<void>;
  /** Whether an action started as `gen` is still the newest. */
  current(gen: number): boolean;
}

/** The view's handle: a button for a history entry, and a reset for a newly opened table. */
export interface ChangesView {
  historyButton(version: number): HTMLElement;
  reset(): void;
}

const CHANGE_TYPES = ["insert", "update_preimage", "update_postimage", "delete"] as const;
const CHANGE_FIELDS: SchemaField[] = [
  { name: "_change_type", type: "string", nullable: false },
  { name: "_commit_version", type: "long", nullable: false },
  { name: "_commit_timestamp", type: "timestamp", nullable: false },
];

/** Adds the view to the page. */
export function mountChangesView(host: ChangesHost, parent: HTMLElement = document.querySelector("main") ?? document.body): ChangesView {
  const from = h("input", { id: "changes-from", type: "number", min: "0", required: true, "aria-label": "From version" }) as HTMLInputElement;
  const to = h("input", { id: "changes-to", type: "number", min: "0", placeholder: "latest", "aria-label": "To version" }) as HTMLInputElement;
  const where = h("input", { id: "changes-where", type: "text", placeholder: "e.g. _change_type = 'delete'", spellcheck: "false" }) as HTMLInputElement;
  const limit = h("input", { id: "changes-limit", type: "number", min: "0", value: "100" }) as HTMLInputElement;
  const form = h(
    "form",
    { id: "changes-form", class: "query-row" },
    h("label", {}, "from ", from),
    h("label", {}, "to ", to),
    h("label", {}, "WHERE ", where),
    h("label", {}, "limit ", limit),
    h("button", { type: "submit", id: "changes-run" }, "Show changes"),
  );
  const summary = h("p", { id: "changes-summary", class: "note" });
  const counts = h("div", { id: "changes-counts", "data-testid": "changes-counts", class: "scroll" });
  const rows = h("div", { id: "changes-rows", "data-testid": "changes-rows", class: "scroll" });
  const section = h("section", { id: "changes-panel", style: "grid-column: 1 / -1" }, h("h2", {}, "Changes"), form, summary, h("h3", {}, "Rows per change type and version"), counts, h("h3", {}, "Rows"), rows);
  parent.append(section);

  const show = (start: number, end: number | undefined): Promise<void> =>
    host.act(`changes ${start}..${end ?? "latest"}`, async (s, gen) => {
      const whereText = where.value.trim() === "" ? undefined : where.value;
      const options = { store: s.store, startingVersion: start, endingVersion: end, where: whereText };
      const plan = await planChanges(options);
      // Counts: the change columns only.
      const perVersion = new Map<number, Record<string, number>>();
      for await (const r of readChangeRows({ ...options, columns: [] })) {
        const v = Number(r["_commit_version"]);
        const c = perVersion.get(v) ?? {};
        const type = String(r["_change_type"]);
        c[type] = (c[type] ?? 0) + 1;
        perVersion.set(v, c);
      }
      const max = Math.max(0, Math.floor(Number(limit.value) || 0));
      const shown: Record<string, unknown>[] = [];
      if (max > 0) for await (const r of readChangeRows({ ...options, limit: max })) shown.push(r);
      if (!host.current(gen)) return;
      const versions = [...perVersion.keys()].sort((a, b) => a - b);
      fill(
        counts,
        table(
          ["version", "committed", ...CHANGE_TYPES],
          versions.map((v) => [String(v), new Date(plan.timestamps.get(v) ?? 0).toISOString(), ...CHANGE_TYPES.map((t) => String(perVersion.get(v)?.[t] ?? 0))]),
          { id: "changes-counts-table", rowAttrs: (i) => ({ "data-version": String(versions[i]) }) },
        ),
      );
      const fields = [...schemaFields(plan.state?.metadata.schemaString), ...CHANGE_FIELDS];
      fill(rows, table(fields.map((f) => f.name), shown.map((r) => fields.map((f) => cellText(r[f.name], f))), { id: "changes-rows-table" }));
      rows.dataset["rows"] = String(shown.length);
      const total = [...perVersion.values()].reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
      fill(summary, `versions ${plan.startVersion} to ${plan.endVersion}: ${total} changed row(s), ${shown.length} shown`);
      summary.dataset["total"] = String(total);
    });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void show(Number(from.value), to.value.trim() === "" ? undefined : Number(to.value));
  });

  return {
    historyButton(version: number): HTMLElement {
      const b = h("button", { type: "button", class: "changes", "data-changes": String(version), title: `rows changed by version ${version}` }, "changes");
      b.addEventListener("click", () => {
        from.value = String(version);
        to.value = String(version);
        void show(version, version);
      });
      return b;
    },
    reset(): void {
      fill(counts);
      fill(rows);
      fill(summary);
    },
  };
}

function cellText(value: unknown, field: SchemaField): string | Node {
  return value === null || value === undefined ? h("span", { class: "null" }, "null") : formatCell(value, field.type);
}
