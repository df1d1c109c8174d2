/**
 * Block uploads for large Azure puts: Put Block for each slice (fixed-width base64 block IDs,
 * a few at a time, retried as idempotent), then one Put Block List that commits them — carrying
 * the caller's conditions (`If-None-Match: *` for a create-only upload), so a large create is as
 * atomic as a small one. Uncommitted blocks are garbage-collected by the service after a week.
 */
import { StorageError } from "../errors.js";
import type { AzureStore } from "./azure.js";
import { errorFromResponse } from "./s3-transport.js";

const MAX_BLOCKS = 50_000;
const CONCURRENCY = 4;

/** Uploads `bytes` as blocks and commits them; returns the Put Block List response (not consumed). */
export async function putBlocks(store: AzureStore, key: string, bytes: Uint8Array, conditions: Record<string, string>): Promise<Response> {
  const blockSize = Math.max(store.blockSize, Math.ceil(bytes.byteLength / MAX_BLOCKS));
  const count = Math.ceil(bytes.byteLength / blockSize);
  if (count > MAX_BLOCKS) throw new StorageError(`body too large for ${MAX_BLOCKS} blocks`, { path: store.pathOf(key) });
  // One random run per upload, so concurrent uploads of the same key cannot mix blocks.
  const run = crypto.randomUUID().replace(/-/g, "").slice(0, 16);
  const ids = Array.from({ length: count }, (_, i) => btoa(`${run}-${String(i).padStart(6, "0")}`));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const body = bytes.subarray(index * blockSize, Math.min(bytes.byteLength, (index + 1) * blockSize));
      const res = await store.send({
        method: "PUT",
        key,
        query: [["comp", "block"], ["blockid", ids[index] as string]],
        body,
        idempotent: true,
      });
      if (!res.ok) throw await errorFromResponse(res, store.pathOf(key), `Put Block ${index}`);
      await res.body?.cancel();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`;
  return store.send({
    method: "PUT",
    key,
    query: [["comp", "blocklist"]],
    headers: { ...conditions },
    body: new TextEncoder().encode(list),
    idempotent: Object.keys(conditions).length === 0,
  });
}
