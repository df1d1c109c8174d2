/**
 * Access to the shared conformance tables (../shared/conformance from the project root): finding
 * every Delta table folder, and loading one into a MemoryStore (with file times kept) for tests
 * that count requests. Tests read the data in place; nothing is copied into the project.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { MemoryStore } from "../../src/core/storage/memory.js";

/** Absolute path of ../shared/conformance. */
export const CONFORMANCE = resolve(import.meta.dirname, "../../../shared/conformance");

/** The session time zone a golden table's expected output was read in (see the conformance README "Traps"). */
export const GOLDEN_TIME_ZONE: Readonly<Record<string, string>> = { "data-reader-partition-values": "America/Los_Angeles" };

/** Every folder under the conformance root that holds a `_delta_log` (sorted, relative paths). */
export function findTables(root = CONFORMANCE): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    if (entries.includes("_delta_log")) {
      out.push(relative(root, dir));
      return;
    }
    for (const e of entries) {
      if (e.startsWith(".") || e === "expected") continue;
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Loads every file of a folder into a MemoryStore, keeping modification times. */
export function memoryStoreFromDir(dir: string, name = dir): MemoryStore {
  const store = new MemoryStore({ name });
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else {
        const key = relative(dir, p).split("\\").join("/");
        void store.put(key, readFileSync(p));
        store.setLastModified(key, Math.floor(st.mtimeMs));
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return store;
}
