/**
 * Runs the delta-edge Worker (src/worker/main.ts, wrangler.toml's `main`) locally in Miniflare,
 * the simulator `wrangler dev` uses, with the bindings of wrangler.toml (wrangler-config.mjs): a
 * real (simulated, SQLite-backed) R2 bucket bound as TABLES, the DeltaIngest Durable Object and
 * the ingest queue. The TypeScript is bundled in memory with rolldown (the bundler vite ships);
 * parquet-wasm's `.wasm` stays a separate CompiledWasm module, as wrangler would upload it,
 * because Workers cannot compile wasm from bytes at runtime. Used by test/worker and bench/ (an
 * ephemeral port, in-memory or temporary state, restarts, bindings reachable from Node, about a
 * second to start); `npm start` runs `wrangler dev` instead (scripts/wrangler-dev.mjs).
 *
 *   node scripts/worker-dev.mjs    http://127.0.0.1:8787, data in .wrangler/state/{r2,do}
 *   PORT=9000 WRITE_TOKEN=s3cret READ_TOKEN=r node scripts/worker-dev.mjs
 *   PRESIGN_ALLOW=lake/tables/ AWS_ENDPOINT_URL=... AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... node scripts/worker-dev.mjs
 *
 * The demo explorer (demo/, built into demo/dist by scripts/build-demo.mjs at start) is served
 * as static assets, as wrangler.toml's `[assets]` block does when deployed; duckdb-wasm's bundles
 * for its SQL box are put into the local bucket (scripts/duckdb-bundles.mjs) and served by the
 * Worker's /duckdb route.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { miniflareBindings } from "./wrangler-config.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** A top-level string setting of wrangler.toml (`main`, `compatibility_date`). */
function wranglerSetting(name) {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const m = new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m").exec(toml);
  if (!m) throw new Error(`wrangler.toml has no ${name}`);
  return m[1];
}

/** Compatibility date of wrangler.toml (R2 `onlyIf` wildcard etags need 2024-09 or later). */
export const COMPATIBILITY_DATE = wranglerSetting("compatibility_date");

/** The Worker's entry (wrangler.toml `main`), absolute. */
export const WORKER_ENTRY = join(ROOT, wranglerSetting("main"));

/**
 * Bundles the Worker into Miniflare modules: one ES module plus one CompiledWasm module per
 * `.wasm` import. Takes about a second.
 * @returns {Promise<Array<{type: "ESModule" | "CompiledWasm", path: string, contents: string | Uint8Array}>>}
 */
export async function bundleWorker(entry = WORKER_ENTRY) {
  const { rolldown } = await import("rolldown");
  const require = createRequire(import.meta.url);
  /** @type {Map<string, string>} */
  const wasm = new Map();
  const bundle = await rolldown({
    input: entry,
    platform: "browser",
    resolve: { conditionNames: ["workerd", "worker", "browser", "import", "default"] },
    logLevel: "silent",
    plugins: [
      {
        name: "workers-wasm-modules",
        resolveId(id, importer) {
          if (!id.endsWith(".wasm")) return undefined;
          const file = id.startsWith(".") && importer ? resolve(dirname(importer), id) : require.resolve(id, { paths: [importer ? dirname(importer) : ROOT] });
          wasm.set(basename(file), file);
          return { id: `./${basename(file)}`, external: true };
        },
      },
    ],
  });
  const { output } = await bundle.generate({ format: "esm", codeSplitting: false });
  await bundle.close();
  const chunk = output.find((o) => o.type === "chunk");
  if (!chunk || chunk.type !== "chunk") throw new Error("rolldown produced no chunk");
  return [
    { type: "ESModule", path: join(ROOT, ".worker-bundle", "worker.js"), contents: chunk.code },
    ...[...wasm].map(([name, file]) => ({ type: "CompiledWasm", path: join(ROOT, ".worker-bundle", name), contents: readFileSync(file) })),
  ];
}

/**
 * Starts the Worker in Miniflare.
 * @param {{ port?: number, host?: string, persist?: string | false, durableObjectsPersist?: string | false, bindings?: Record<string, string>, assets?: string, modules?: Awaited<ReturnType<typeof bundleWorker>>, overrides?: Record<string, unknown> }} [options]
 *   persist: folder of the R2 data (false: in memory); durableObjectsPersist: the same for Durable
 *   Objects; bindings: vars and secrets (WRITE_TOKEN...), over wrangler.toml's vars; assets: a
 *   folder of static files; modules: a bundle made earlier (bundled when absent); overrides: Miniflare
 *   options set last (e.g. queueConsumers with a shorter batch timeout).
 */
export async function startWorker(options = {}) {
  const { Miniflare } = await import("miniflare");
  const modules = options.modules ?? (await bundleWorker());
  const wrangler = miniflareBindings();
  /** @type {Record<string, unknown>} */
  const config = {
    modules,
    modulesRoot: join(ROOT, ".worker-bundle"),
    compatibilityDate: COMPATIBILITY_DATE,
    r2Buckets: wrangler.r2Buckets,
    r2Persist: options.persist ?? false,
    durableObjects: wrangler.durableObjects,
    durableObjectsPersist: options.durableObjectsPersist ?? false,
    queueProducers: wrangler.queueProducers,
    queueConsumers: wrangler.queueConsumers,
    bindings: { ...wrangler.bindings, ...(options.bindings ?? {}) },
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
  };
  if (options.assets !== undefined) config.assets = { directory: options.assets, binding: "ASSETS", routerConfig: { has_user_worker: true } };
  Object.assign(config, options.overrides ?? {});
  const mf = new Miniflare(config);
  const url = await mf.ready;
  return {
    /** Base URL, e.g. http://127.0.0.1:8787/ */
    url: url.toString(),
    /** Miniflare itself (getR2Bucket("TABLES") reaches the same bucket from Node). */
    mf,
    dispose: () => mf.dispose(),
  };
}

async function main() {
  const persist = join(ROOT, ".wrangler", "state", "r2");
  const durableObjectsPersist = join(ROOT, ".wrangler", "state", "do");
  mkdirSync(persist, { recursive: true });
  mkdirSync(durableObjectsPersist, { recursive: true });
  const writeToken = process.env.WRITE_TOKEN ?? "dev-token";
  /** @type {Record<string, string>} */
  const bindings = { WRITE_TOKEN: writeToken };
  const presign = ["PRESIGN_ALLOW", "PRESIGN_EXPIRES_SECONDS", "PRESIGN_MAX_REQUESTS", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ALLOW_HTTP", "AWS_VIRTUAL_HOSTED_STYLE_REQUEST"];
  for (const name of ["READ_TOKEN", "TABLES_PREFIX", "MAX_BODY_BYTES", "MAX_LINE_BYTES", "MAX_FIELD_BYTES", "CORS_ORIGIN", "DUCKDB_PREFIX", ...presign]) {
    const value = process.env[name];
    if (value !== undefined) bindings[name] = value;
  }
  const { buildDemo, DEMO_DIR, DEMO_DIST } = await import("./build-demo.mjs");
  if (existsSync(DEMO_DIR)) await buildDemo();
  const worker = await startWorker({
    port: Number(process.env.PORT ?? 8787),
    persist,
    durableObjectsPersist,
    bindings,
    ...(existsSync(DEMO_DIST) ? { assets: DEMO_DIST } : {}),
  });
  const { uploadDuckdbBundles } = await import("./duckdb-bundles.mjs");
  const prefix = bindings.DUCKDB_PREFIX === undefined ? undefined : `${bindings.DUCKDB_PREFIX.replace(/\/+$/, "")}/`;
  const duckdb = await uploadDuckdbBundles(await worker.mf.getR2Bucket("TABLES"), prefix === undefined ? {} : { prefix });
  console.log(`delta-edge Worker on ${worker.url} (R2 bucket TABLES in ${persist})`);
  console.log(`duckdb-wasm ${duckdb.version} bundles at ${worker.url}duckdb/${duckdb.version}/ (${duckdb.uploaded.length} uploaded now)`);
  console.log(`write token: ${writeToken}${process.env.WRITE_TOKEN === undefined ? " (set WRITE_TOKEN to change it)" : ""}`);
  console.log(`try: curl ${worker.url}api/tables`);
  if (existsSync(DEMO_DIST)) console.log(`explorer: ${worker.url} (open a table by URL: ${worker.url}objects/<schema>/<table>)`);
  const stop = async () => {
    await worker.dispose();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
