/** Types of wrangler-config.mjs (wrangler.toml as Miniflare binding options). */

/** Parses the TOML subset wrangler.toml uses. */
export function parseToml(text: string): Record<string, any>;

/** wrangler.toml, parsed. */
export function readWranglerToml(path?: string): Record<string, any>;

/** Miniflare options for wrangler.toml's bindings. */
export interface MiniflareBindings {
  bindings: Record<string, string>;
  r2Buckets: string[];
  durableObjects: Record<string, { className: string; useSQLite: boolean }>;
  queueProducers: Record<string, { queueName: string }>;
  queueConsumers: Record<string, { maxBatchSize?: number; maxBatchTimeout?: number; maxRetries?: number; deadLetterQueue?: string; retryDelay?: number }>;
}

/** The Miniflare options for wrangler.toml's bindings. */
export function miniflareBindings(toml?: Record<string, any>): MiniflareBindings;
