/**
 * Test doubles for the commit strategies: a MemoryStore with S3's copy operations (a create-only
 * copy whose destination check and write are one step, as R2 applies
 * `cf-copy-destination-if-none-match: *`), a store wrapper that delays calls (to widen race
 * windows to real network latencies), and a fetch wrapper that gives moto R2's copy header.
 */
import { AlreadyExistsError } from "../../src/core/errors.js";
import { MemoryStore } from "../../src/core/storage/memory.js";
import { StoreWrapper, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody } from "../../src/core/storage/object-store.js";
import type { CopyCondition } from "../../src/core/storage/s3-dialect.js";

/** MemoryStore + copy + copyIfAbsent (atomic on the destination: MemoryStore's putIfAbsent is). */
export class CopyingMemoryStore extends MemoryStore {
  /** Create-only copies refused because the destination existed. */
  refused = 0;
  conditions: (CopyCondition | undefined)[] = [];

  async copy(from: string, to: string): Promise<void> {
    await this.put(to, await this.get(from));
  }

  async copyIfAbsent(from: string, to: string, condition?: CopyCondition): Promise<void> {
    this.conditions.push(condition);
    const bytes = await this.get(from);
    try {
      await this.putIfAbsent(to, bytes);
    } catch (err) {
      if (err instanceof AlreadyExistsError) this.refused++;
      throw err;
    }
  }
}

/** Delays chosen calls of a store by `ms` (before the call). */
export class SlowStore extends StoreWrapper implements ObjectStore {
  constructor(
    inner: ObjectStore,
    readonly delay: (op: string, key: string) => number,
  ) {
    super(inner);
  }
  private async wait(op: string, key: string): Promise<void> {
    const ms = this.delay(op, key);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }
  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    await this.wait("get", key);
    return this.inner.get(key, options);
  }
  async head(key: string): Promise<ObjectMeta> {
    await this.wait("head", key);
    return this.inner.head(key);
  }
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta> {
    return this.inner.list(prefix, options);
  }
  async put(key: string, body: PutBody): Promise<void> {
    await this.wait("put", key);
    return this.inner.put(key, body);
  }
  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    await this.wait("putIfAbsent", key);
    return this.inner.putIfAbsent(key, body);
  }
  async delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}

/** What {@link r2CopyHeaderFetch} saw. */
export interface CopyHeaderStats {
  /** Conditional copies forwarded (destination was absent). */
  copied: number;
  /** Conditional copies answered 412 (destination existed). */
  refused: number;
}

/**
 * Wraps a fetch to an S3 server that ignores `cf-copy-destination-if-none-match` on CopyObject
 * (moto) so that it behaves like R2: a CopyObject carrying `cf-copy-destination-if-none-match: *`
 * answers 412 PreconditionFailed when the destination exists. The existence check and the copy run
 * under a per-destination lock, so the check-and-copy is atomic for every caller of this fetch
 * (all writers of a test run in one process and share it), as R2 applies it atomically. `head`
 * sends a (signed) HEAD for the destination.
 */
export function r2CopyHeaderFetch(options: { head: (url: string) => Promise<Response>; inner?: typeof fetch }): { fetch: typeof fetch; stats: CopyHeaderStats } {
  const inner = options.inner ?? fetch;
  const stats: CopyHeaderStats = { copied: 0, refused: 0 };
  const locks = new Map<string, Promise<unknown>>();
  const wrapped: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const url = input instanceof Request ? input.url : String(input);
    if (init?.method !== "PUT" || !headers.has("x-amz-copy-source") || headers.get("cf-copy-destination-if-none-match") !== "*") {
      return inner(input, init);
    }
    const previous = locks.get(url) ?? Promise.resolve();
    const run = previous.then(async () => {
      const head = await options.head(url);
      await head.body?.cancel();
      if (head.status === 200) {
        stats.refused++;
        const xml = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
        return new Response(xml, { status: 412, headers: { "Content-Type": "application/xml" } });
      }
      stats.copied++;
      return inner(input, init);
    });
    locks.set(url, run.catch(() => undefined));
    return run;
  };
  return { fetch: wrapped, stats };
}
