/** Types of worker-dev.mjs (the local Miniflare runner of the Worker), for the TypeScript tests. */
import type { Miniflare } from "miniflare";

/** A Miniflare module of the bundled Worker. */
export interface WorkerModule {
  type: "ESModule" | "CompiledWasm";
  path: string;
  contents: string | Uint8Array;
}

/** Compatibility date of wrangler.toml. */
export const COMPATIBILITY_DATE: string;

/** The Worker's entry (wrangler.toml `main`), absolute. */
export const WORKER_ENTRY: string;

/** Bundles the Worker (default: wrangler.toml's main) into Miniflare modules. */
export function bundleWorker(entry?: string): Promise<WorkerModule[]>;

/** Options of {@link startWorker}. */
export interface StartWorkerOptions {
  port?: number;
  host?: string;
  /** Folder of the R2 data; false (default) keeps it in memory. */
  persist?: string | false;
  /** Folder of the Durable Objects' storage; false (default) keeps it in memory. */
  durableObjectsPersist?: string | false;
  /** Vars and secrets (WRITE_TOKEN, READ_TOKEN, TABLES_PREFIX, MAX_BODY_BYTES, CORS_ORIGIN, INGEST_*), over wrangler.toml's vars. */
  bindings?: Record<string, string>;
  /** A folder of static files served through the ASSETS binding. */
  assets?: string;
  /** A bundle made earlier by bundleWorker. */
  modules?: WorkerModule[];
  /** Miniflare options set last (e.g. queueConsumers with a shorter batch timeout). */
  overrides?: Record<string, unknown>;
}

/** A running Worker. */
export interface RunningWorker {
  /** Base URL with a trailing slash. */
  url: string;
  mf: Miniflare;
  dispose(): Promise<void>;
}

/** Starts the Worker in Miniflare with wrangler.toml's bindings (R2 TABLES, the INGEST Durable Object, the ingest queue). */
export function startWorker(options?: StartWorkerOptions): Promise<RunningWorker>;
