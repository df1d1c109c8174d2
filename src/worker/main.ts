/**
 * The deployable Worker (wrangler.toml's `main`): the HTTP API of DESIGN.md over the `TABLES` R2
 * binding. Its only export is the handler, as workerd requires of a Worker's main module; the
 * library lives in index.ts. parquet-wasm is registered on the first request (writes need it).
 */
import type { Env } from "./env.js";
import { handleApiRequest } from "./api.js";
import { useWorkerParquetWasm } from "./wasm.js";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    useWorkerParquetWasm();
    return handleApiRequest(request, env);
  },
};
