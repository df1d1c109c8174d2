/**
 * The independent Delta oracle (delta_oracle.py: log replay, deletion-vector decoding and
 * pyarrow reads written from PROTOCOL.md, sharing no code with src/) from TypeScript. One Python
 * process per test file serves every request (importing pyarrow costs seconds on a busy machine).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { DeletionVectorDescriptor } from "../../src/core/log/actions.js";
import { PYTHON } from "./oracle.js";

const SCRIPT = resolve(import.meta.dirname, "delta_oracle.py");

let server: { child: ChildProcessWithoutNullStreams; waiting: ((line: string) => void)[]; stderr: string[] } | undefined;
let queue: Promise<unknown> = Promise.resolve();

function start(): NonNullable<typeof server> {
  const child = spawn(PYTHON, [SCRIPT, "serve"], { stdio: ["pipe", "pipe", "pipe"] });
  const s = { child, waiting: [] as ((line: string) => void)[], stderr: [] as string[] };
  createInterface({ input: child.stdout }).on("line", (line) => s.waiting.shift()?.(line));
  child.stderr.on("data", (d: Buffer) => s.stderr.push(d.toString()));
  child.on("exit", () => {
    for (const w of s.waiting.splice(0)) w(JSON.stringify({ error: `oracle exited: ${s.stderr.join("")}` }));
    if (server === s) server = undefined;
  });
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  return s;
}

/** Sends one command to the oracle process and parses its reply (requests are serialized). */
function request<T>(args: string[]): Promise<T> {
  const run = async (): Promise<T> => {
    server ??= start();
    const s = server;
    const line = await new Promise<string>((res) => {
      s.waiting.push(res);
      s.child.stdin.write(JSON.stringify(args) + "\n");
    });
    const reply = JSON.parse(line) as T & { error?: string };
    if (reply.error !== undefined && !Array.isArray(reply)) throw new Error(`delta oracle ${args[0]} failed: ${reply.error}`);
    return reply;
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

/** One live file as the oracle sees it. */
export interface OracleFile {
  path: string;
  /** Row indexes its deletion vector deletes (decoded by the oracle). */
  deleted: number[];
  physicalRows: number;
  rows: Record<string, unknown>[];
  stats: Record<string, unknown> | null;
}

/** What the oracle reads as the live table: rows (CLI value encoding), files, protocol. */
export interface OracleTable {
  rows: Record<string, unknown>[];
  files: OracleFile[];
  protocol: Record<string, unknown>;
  /** Logical column name -> physical name (the same without column mapping). */
  physicalNames: Record<string, string>;
  /** With a version: the rows of that commit's cdc files (with `_change_type`). */
  changes?: { rows: Record<string, unknown>[]; files: number };
}

/** The live rows of a local table as the oracle reads them (and, with a version, that commit's change rows). */
export function oracleTable(dir: string, changesOf?: number): Promise<OracleTable> {
  return request<OracleTable>(["rows", dir, ...(changesOf === undefined ? [] : [String(changesOf)])]);
}

/** The rows of the cdc files committed at `version`, each with `_change_type`. */
export function oracleChanges(dir: string, version: number): Promise<{ rows: Record<string, unknown>[]; files: number }> {
  return request(["cdc", dir, String(version)]);
}

/** Decodes one deletion vector of a local table: the row indexes it deletes. */
export async function oracleDeletionVector(table: string, descriptor: DeletionVectorDescriptor): Promise<number[]> {
  return (await request<{ rows: number[] }>(["dv", table, JSON.stringify(descriptor)])).rows;
}
