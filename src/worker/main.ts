/**
 * The deployable Worker (wrangler.toml's `main`): the HTTP API of DESIGN.md over the `TABLES` R2
 * binding, the Queues consumer of the ingest queue, and the DeltaIngest Durable Object class. Its
 * exports are only what workerd accepts of a Worker's main module (the handlers and the Durable
 * Object class); the library lives in index.ts. parquet-wasm is registered on the first request
 * (writes need it).
 */
import type { Env } from "./env.js";
import { handleApiRequest } from "./api.js";
import { consumeIngestQueue } from "./ingest/queue.js";
import type { MessageBatchLike } from "./ingest/runtime.js";
import { useWorkerParquetWasm } from "./wasm.js";

export { DeltaIngest } from "./ingest/object.js";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    useWorkerParquetWasm();
    return handleApiRequest(request, env);
  },
  async queue(batch: MessageBatchLike, env: Env): Promise<void> {
    useWorkerParquetWasm();
    await consumeIngestQueue(batch, env);
  },
};
