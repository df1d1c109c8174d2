/**
 * The Worker's environment (wrangler.toml bindings, vars and secrets) and the settings derived
 * from it. Workers types are written structurally (only what the Worker uses), so neither
 * @cloudflare/workers-types nor Miniflare is needed to compile. Tables live at
 * `<TABLES_PREFIX>/<schema>/<table>/` in the `TABLES` bucket; `/objects/<key>` serves keys
 * relative to the same root.
 */
import { InvalidInputError } from "../core/errors.js";
import type { PresignEnv } from "./presign-settings.js";
import { R2BindingStore, utf8Length, type R2BucketLike, type R2ListLike, type R2ObjectLike, type R2RangeLike } from "./r2-store.js";

/** An R2 object with its body as a stream (what `bucket.get` returns when the object exists). */
export interface R2ObjectStreamLike extends R2ObjectLike {
  body: ReadableStream<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The R2 bucket binding as the Worker uses it: the store's subset plus delimited listing and streamed ranged reads. */
export interface WorkerBucket extends R2BucketLike {
  get(key: string, options?: { range?: R2RangeLike; onlyIf?: { etagDoesNotMatch?: string } }): Promise<R2ObjectStreamLike | R2ObjectLike | null>;
  list(options?: { prefix?: string; cursor?: string; startAfter?: string; limit?: number; delimiter?: string }): Promise<R2ListLike & { delimitedPrefixes?: string[] }>;
}

/** A static-assets binding (wrangler `[assets] binding = "ASSETS"`). */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/** Bindings, vars and secrets of the Worker (see wrangler.toml; presigning: presign-settings.ts). */
export interface Env extends PresignEnv {
  /** R2 bucket holding the tables. */
  TABLES: WorkerBucket;
  /** Secret: bearer token for writes and maintenance. Unset: writes are refused. */
  WRITE_TOKEN?: string;
  /** Secret: when set, reads need it (or the write token) as a bearer token too. */
  READ_TOKEN?: string;
  /** Var: key prefix of the tables root inside the bucket (default: the bucket root). */
  TABLES_PREFIX?: string;
  /** Var: largest accepted request body in bytes (default 32 MiB). */
  MAX_BODY_BYTES?: string;
  /** Var: largest NDJSON line or CSV record of a text body in bytes (default 16 MiB). */
  MAX_LINE_BYTES?: string;
  /** Var: largest CSV field of a text body in bytes (default 16 MiB). */
  MAX_FIELD_BYTES?: string;
  /** Var: allowed CORS origins, `*` (default) or a comma-separated list. */
  CORS_ORIGIN?: string;
  /** Var: bucket prefix of duckdb-wasm's bundles served at /duckdb/ (default `_duckdb/`). */
  DUCKDB_PREFIX?: string;
  /** Static assets of the demo explorer, when configured. */
  ASSETS?: AssetsBinding;
}

/** Default body limit: large enough for real appends, small enough for 128 MB of Worker memory. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Arrow bytes per data file written from a Worker (parquet encoding costs about 3x this in memory). */
export const WORKER_TARGET_FILE_SIZE = 8 * 1024 * 1024;

/** The tables root prefix ("" or "a/b/"). */
export function rootPrefix(env: Env): string {
  const parts = (env.TABLES_PREFIX ?? "").split("/").filter((s) => s !== "");
  return parts.length === 0 ? "" : `${parts.join("/")}/`;
}

/** The configured body limit in bytes. */
export function maxBodyBytes(env: Env): number {
  return positiveVar(env, "MAX_BODY_BYTES") ?? DEFAULT_MAX_BODY_BYTES;
}

/** The configured line and field limits of text bodies (undefined: the library defaults, 16 MiB). */
export function textBodyLimits(env: Env): { maxLineBytes: number | undefined; maxFieldBytes: number | undefined } {
  return { maxLineBytes: positiveVar(env, "MAX_LINE_BYTES"), maxFieldBytes: positiveVar(env, "MAX_FIELD_BYTES") };
}

function positiveVar(env: Env, name: "MAX_BODY_BYTES" | "MAX_LINE_BYTES" | "MAX_FIELD_BYTES"): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

/** Longest schema or table name, in UTF-8 bytes: two of them plus the root leave room in R2's 1024-byte keys. */
export const MAX_NAME_BYTES = 255;

/**
 * Checks one path segment naming a schema or a table (already percent-decoded): not empty, not
 * `.` or `..`, no `/`, `\` or control characters (C0, DEL, C1), at most MAX_NAME_BYTES of UTF-8.
 */
export function checkName(kind: "schema" | "table", name: string): string {
  const why =
    name === "" || name === "." || name === ".."
      ? "empty, '.' or '..'"
      : // eslint-disable-next-line no-control-regex
        /[/\\\u0000-\u001f\u007f-\u009f]/.test(name)
        ? "no '/', '\\' or control characters allowed"
        : utf8Length(name) > MAX_NAME_BYTES
          ? `longer than ${MAX_NAME_BYTES} bytes`
          : undefined;
  if (why !== undefined) throw new InvalidInputError(`invalid ${kind} name ${JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}...` : name)}: ${why}`);
  return name;
}

/** The ObjectStore of table `<schema>/<table>` under the root. */
export function tableStore(env: Env, schema: string, table: string): R2BindingStore {
  return new R2BindingStore({ bucket: env.TABLES, name: "TABLES", prefix: `${rootPrefix(env)}${schema}/${table}` });
}
