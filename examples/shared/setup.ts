/**
 * What every example shares: the folder examples write to (DELTA_EDGE_EXAMPLES_ROOT, default a
 * fresh temp dir), a context that prints and records each table an example leaves, and the glue
 * that lets one example run on its own (`node <built example>.js`) or from run-all.ts.
 * Importing this module also registers the Node pieces (local files, parquet-wasm).
 */
import "../../src/node/index.js";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { MaterializeResult } from "../../src/core/assets/index.js";

/** A table an example left behind. */
export interface TableRecord {
  example: string;
  asset: string;
  /** Where the table is: a local path, or an s3:// / az:// URI. */
  uri: string;
}

/** Handed to each example's main(). */
export interface ExampleContext {
  /** The example's own folder below the examples root (its warehouse root). */
  root: string;
  name: string;
  log(line: string): void;
  /** Prints and records every Delta table a run materialized. */
  report(result: MaterializeResult): void;
  tables: TableRecord[];
}

/** An example's entry point. */
export type ExampleMain = (context: ExampleContext) => Promise<void>;

/** The examples root: DELTA_EDGE_EXAMPLES_ROOT (created if missing) or a new temp folder. */
export function examplesRoot(): string {
  const fromEnv = process.env["DELTA_EDGE_EXAMPLES_ROOT"];
  if (fromEnv !== undefined && fromEnv !== "") {
    const root = resolve(fromEnv);
    mkdirSync(root, { recursive: true });
    return root;
  }
  return mkdtempSync(join(tmpdir(), "delta-edge-examples-"));
}

/** A context for one example below `root`. */
export function exampleContext(root: string, name: string, tables: TableRecord[] = []): ExampleContext {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const log = (line: string): void => console.log(`[${name}] ${line}`);
  return {
    root: dir,
    name,
    log,
    tables,
    report(result) {
      for (const m of result.materializations) {
        const md = m.metadata ?? {};
        const uri = typeof md["tableUri"] === "string" ? md["tableUri"] : undefined;
        const asset = m.assetKey.join("/");
        const parts = m.partitionKeys.length > 0 ? ` partition ${m.partitionKeys.length === 1 ? m.partitionKeys[0] : `${m.partitionKeys[0]}..${m.partitionKeys[m.partitionKeys.length - 1]}`}` : "";
        if (uri === undefined) {
          log(`${asset}${parts}: ${JSON.stringify(md)}`);
          continue;
        }
        log(`${asset}${parts}: version ${String(md["version"])}, ${String(md["numRows"])} rows${md["predicate"] ? `, WHERE ${String(md["predicate"])}` : ""}, ${String(md["commitStrategy"])} commit -> ${uri}`);
        if (!tables.some((t) => t.uri === uri)) tables.push({ example: name, asset, uri });
      }
    },
  };
}

/** Runs `main` when this module is the program (node dist/.../example.js). */
export function runIfMain(moduleUrl: string, name: string, main: ExampleMain): void {
  if (process.argv[1] === undefined || resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const root = examplesRoot();
  const context = exampleContext(root, name);
  main(context).then(
    () => {
      for (const t of context.tables) console.log(`table ${t.asset}: ${t.uri}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
