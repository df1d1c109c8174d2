/**
 * Bounded-concurrency mapping: run an async function over items with at most `limit` in flight,
 * keeping results in input order. Used to fetch log files in parallel without flooding a store.
 */

/** Maps items through fn with at most `limit` concurrent calls; results keep input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
