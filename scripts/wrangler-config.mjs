/**
 * wrangler.toml as Miniflare options, for the in-process runner (worker-dev.mjs) of tests and
 * benchmarks: the Durable Object bindings (SQLite-backed when a migration lists the class in
 * `new_sqlite_classes`), the queue producers and consumers, the R2 buckets and the vars, so the
 * local runtime has the bindings a deployment has. It reads the TOML subset wrangler.toml uses
 * (tables, arrays of tables, strings, numbers, booleans, one-line arrays) and throws on anything
 * else; test/worker/wrangler-deploy.test.ts checks the result against wrangler's own reading
 * (`unstable_getMiniflareWorkerOptions`), which is too slow to load (about 2 s) for every start.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Parses the TOML subset described above. */
export function parseToml(text) {
  /** @type {Record<string, any>} */
  const root = {};
  let current = root;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = stripComment(raw).trim();
    if (line === "") return;
    const where = `wrangler.toml:${i + 1}`;
    let m;
    if ((m = /^\[\[\s*([\w.-]+)\s*\]\]$/.exec(line))) {
      const path = m[1].split(".");
      const parent = descend(root, path.slice(0, -1), where);
      const last = path[path.length - 1];
      parent[last] ??= [];
      if (!Array.isArray(parent[last])) throw new Error(`${where}: ${m[1]} is not an array of tables`);
      current = {};
      parent[last].push(current);
    } else if ((m = /^\[\s*([\w.-]+)\s*\]$/.exec(line))) {
      current = descend(root, m[1].split("."), where);
    } else if ((m = /^([\w-]+)\s*=\s*(.+)$/.exec(line))) {
      current[m[1]] = parseValue(m[2].trim(), where);
    } else {
      throw new Error(`${where}: unsupported TOML line: ${raw}`);
    }
  });
  return root;
}

function descend(root, path, where) {
  let node = root;
  for (const key of path) {
    node[key] ??= {};
    node = Array.isArray(node[key]) ? node[key][node[key].length - 1] : node[key];
    if (typeof node !== "object" || node === null) throw new Error(`${where}: ${path.join(".")} is not a table`);
  }
  return node;
}

function stripComment(line) {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === "#" && !quoted) return line.slice(0, i);
  }
  return line;
}

function parseValue(text, where) {
  if (text === "true" || text === "false") return text === "true";
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('"') || text.startsWith("[")) {
    try {
      return JSON.parse(text.replace(/,\s*\]$/, "]"));
    } catch {
      // fall through
    }
  }
  throw new Error(`${where}: unsupported TOML value: ${text}`);
}

/** wrangler.toml, parsed. */
export function readWranglerToml(path = join(ROOT, "wrangler.toml")) {
  return parseToml(readFileSync(path, "utf8"));
}

/**
 * The Miniflare options for wrangler.toml's bindings: vars (`bindings`), `r2Buckets`,
 * `durableObjects`, `queueProducers`, `queueConsumers`.
 */
export function miniflareBindings(toml = readWranglerToml()) {
  const sqlite = new Set((toml.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    bindings: { ...(toml.vars ?? {}) },
    r2Buckets: (toml.r2_buckets ?? []).map((b) => b.binding),
    durableObjects: Object.fromEntries((toml.durable_objects?.bindings ?? []).map((b) => [b.name, { className: b.class_name, useSQLite: sqlite.has(b.class_name) }])),
    queueProducers: Object.fromEntries((toml.queues?.producers ?? []).map((p) => [p.binding, { queueName: p.queue }])),
    queueConsumers: Object.fromEntries(
      (toml.queues?.consumers ?? []).map((c) => [
        c.queue,
        defined({ maxBatchSize: c.max_batch_size, maxBatchTimeout: c.max_batch_timeout, maxRetries: c.max_retries, deadLetterQueue: c.dead_letter_queue, retryDelay: c.retry_delay }),
      ]),
    ),
  };
}
