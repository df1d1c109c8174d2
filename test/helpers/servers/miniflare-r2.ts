/**
 * Miniflare's R2 simulator for tests (the SQLite-backed Durable Object `wrangler dev` uses, so
 * conditional puts are checked atomically). One Miniflare instance (workerd on 127.0.0.1, an
 * ephemeral port) with R2 bucket bindings, reachable two ways:
 * - `bucket(name)`: Miniflare's Node proxy of the binding (`mf.getR2Bucket`), to drive the
 *   binding from Node directly. Every call and every property read of a returned object is a
 *   round trip, so it is slow for bulk work.
 * - `remoteStore(...)`: an R2BindingStore running *inside* workerd over the real binding (its
 *   TypeScript transpiled on the fly), driven from Node through a small HTTP RPC. This is how the
 *   conformance suite runs: the store code executes in the Workers runtime, and fast.
 * Storage lives in a temporary folder (tmpfs when there is one), removed by `stop()`.
 */
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { R2BucketLike } from "../../../src/worker/r2-store.js";
import { requireServer, type Availability } from "./process.js";
import { RemoteStore } from "./remote-store.js";

/** A running Miniflare with R2 buckets. */
export interface MiniflareR2 {
  /** Miniflare's Node proxy of a bucket binding. */
  bucket(name: string): Promise<R2BucketLike>;
  /** An ObjectStore whose calls run R2BindingStore inside workerd on bucket `name`. */
  remoteStore(options: { bucket?: string; prefix?: string; listPageSize?: number }): RemoteStore;
  stop(): Promise<void>;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Whether Miniflare (and its workerd binary) can run here; throws under CI=true when not. */
export function miniflareAvailability(): Availability {
  let reason: string | undefined;
  try {
    const require = createRequire(import.meta.url);
    require.resolve("miniflare");
    require.resolve("workerd");
  } catch (error) {
    reason = `the miniflare package is not installed (${(error as Error).message.split("\n")[0]}); run npm install`;
  }
  return requireServer("Miniflare (R2 simulator)", reason);
}

/** The worker: an HTTP RPC over R2BindingStore (one store per request, per bucket and prefix). */
const RPC_WORKER = `
import { R2BindingStore } from "./src/worker/r2-store.js";
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const p = url.searchParams;
    const name = p.get("bucket") ?? "BUCKET";
    const store = new R2BindingStore({ bucket: env[name], name, prefix: p.get("prefix") ?? "", listPageSize: Number(p.get("pageSize") ?? 1000) });
    const key = p.get("key") ?? "";
    try {
      switch (url.pathname) {
        case "/get": {
          const range = p.get("range");
          return new Response(await store.get(key, range === null ? {} : { range: JSON.parse(range) }));
        }
        case "/head": return Response.json(await store.head(key));
        case "/list": {
          const out = [];
          const options = p.has("startAfter") ? { startAfter: p.get("startAfter") } : {};
          for await (const meta of store.list(p.get("listPrefix") ?? "", options)) out.push(meta);
          return Response.json(out);
        }
        case "/put": await store.put(key, new Uint8Array(await request.arrayBuffer())); return new Response(null, { status: 204 });
        case "/putIfAbsent": await store.putIfAbsent(key, new Uint8Array(await request.arrayBuffer())); return new Response(null, { status: 204 });
        case "/delete": await store.delete(key); return new Response(null, { status: 204 });
        default: return new Response("unknown operation", { status: 400 });
      }
    } catch (error) {
      return Response.json({ error: { name: error?.name, message: error?.message ?? String(error) } }, { status: 500 });
    }
  },
};
`;

/** Transpiles a TypeScript module and (recursively) its relative imports into Miniflare modules. */
function workerModules(entry: string): { type: "ESModule"; path: string; contents: string }[] {
  const out = new Map<string, string>();
  const visit = (tsPath: string): void => {
    const jsPath = tsPath.replace(/\.ts$/, ".js");
    if (out.has(jsPath)) return;
    const source = readFileSync(tsPath, "utf8");
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    out.set(jsPath, js);
    for (const match of js.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)\.js"/g)) visit(resolve(dirname(tsPath), `${match[1]}.ts`));
  };
  visit(entry);
  return [...out].map(([path, contents]) => ({ type: "ESModule" as const, path, contents }));
}

/** Starts Miniflare with the given R2 bucket bindings (default one bucket named BUCKET). */
export async function startMiniflareR2(buckets: readonly string[] = ["BUCKET"]): Promise<MiniflareR2> {
  const { Miniflare } = await import("miniflare");
  // Miniflare's R2 is about 4x faster on tmpfs than on a disk-backed temp folder.
  const storage = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "delta-edge-r2-"));
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: join(ROOT, "rpc-worker.js"), contents: RPC_WORKER }, ...workerModules(join(ROOT, "src/worker/r2-store.ts"))],
    modulesRoot: ROOT,
    compatibilityDate: "2025-01-01",
    r2Buckets: [...buckets],
    r2Persist: storage,
    host: "127.0.0.1",
    port: 0,
  });
  let url: URL;
  try {
    url = await mf.ready;
  } catch (error) {
    rmSync(storage, { recursive: true, force: true });
    throw error;
  }
  return {
    bucket: async (name) => (await mf.getR2Bucket(name)) as unknown as R2BucketLike,
    remoteStore: ({ bucket = "BUCKET", prefix = "", listPageSize = 1000 }) =>
      new RemoteStore({ url: url.toString(), bucket, prefix, listPageSize }),
    stop: async () => {
      await mf.dispose();
      rmSync(storage, { recursive: true, force: true });
    },
  };
}
