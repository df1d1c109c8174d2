/**
 * The Queues consumer: messages `{table: "<schema>/<table>", rows: [{...}, ...]}` (an object, or
 * the same as a JSON string). The messages of a delivered batch are grouped by table, and each
 * group is one Delta commit carrying a `txn` action keyed on the batch (appId =
 * `delta-edge-queue/<queue>/<hash of the group's message ids>`, version 1): when Queues delivers
 * the same messages again (the consumer failed after the commit, or before acknowledging), the
 * commit is recognised in the log and skipped, and the messages are acknowledged without adding
 * rows. A message is acknowledged only after its group's commit (or skip); a failed commit retries
 * the group's messages with backoff. A message whose rows do not fit the table (or that is not of
 * the expected shape) is retried on its own, without holding up the others, and ends in the
 * dead-letter queue after `max_retries` deliveries.
 */
import { loadSnapshot } from "../../core/table/snapshot-load.js";
import { rowsToRecordBatch } from "../../core/write/rows-to-arrow.js";
import { withExtraColumns } from "../../core/write/write-input.js";
import { writeTable } from "../../core/write/write-table.js";
import { checkName, tableStore, WORKER_TARGET_FILE_SIZE } from "../env.js";
import { conformBatches, fingerprint, tableTarget } from "./conform.js";
import type { MessageBatchLike, QueueMessageLike } from "./runtime.js";
import type { IngestEnv } from "./settings.js";
import type { TableRef } from "./table-ref.js";
import type { RecordBatch } from "apache-arrow";

/** The body of an ingest message. */
export interface IngestMessage {
  /** `<schema>/<table>` under the tables root. */
  table: string;
  rows: Record<string, unknown>[];
}

interface Group {
  ref: TableRef;
  messages: { message: QueueMessageLike; rows: Record<string, unknown>[] }[];
}

/** Consumes one batch (the Worker's `queue` handler). Acks or retries every message; never throws. */
export async function consumeIngestQueue(batch: MessageBatchLike, env: IngestEnv): Promise<void> {
  const groups = new Map<string, Group>();
  for (const message of batch.messages) {
    let parsed: { ref: TableRef; rows: Record<string, unknown>[] };
    try {
      parsed = parseMessage(message.body);
    } catch (error) {
      retry([message], `message ${message.id} is not an ingest message: ${errorText(error)}`);
      continue;
    }
    const name = `${parsed.ref.schema}/${parsed.ref.table}`;
    let group = groups.get(name);
    if (group === undefined) groups.set(name, (group = { ref: parsed.ref, messages: [] }));
    group.messages.push({ message, rows: parsed.rows });
  }
  for (const group of groups.values()) await commitGroup(batch.queue, group, env);
}

/** Commits one table's messages of a batch as one commit with the batch's txn. */
async function commitGroup(queue: string, group: Group, env: IngestEnv): Promise<void> {
  const { schema, table } = group.ref;
  const all = group.messages.map((m) => m.message);
  const store = tableStore(env, schema, table);
  try {
    const snapshot = await loadSnapshot({ store });
    const target = await tableTarget(snapshot, store.root);
    const good: QueueMessageLike[] = [];
    const batches: RecordBatch[] = [];
    for (const { message, rows } of group.messages) {
      try {
        if (rows.length > 0) batches.push(...(await conformBatches([rowsToRecordBatch(rows, withExtraColumns(target.schema, rows))], target.schema)));
        good.push(message);
      } catch (error) {
        retry([message], `message ${message.id} for ${schema}/${table} does not fit the table: ${errorText(error)}`);
      }
    }
    if (good.length === 0) return;
    const ids = good.map((m) => m.id).sort();
    const appId = `delta-edge-queue/${queue}/${await fingerprint(ids.join("\n"))}`;
    if (snapshot.appTransactionVersion(appId) !== undefined) {
      for (const m of good) m.ack(); // a redelivered batch, committed before: nothing to write
      console.log(`delta-edge queue ${queue}: ${good.length} messages for ${schema}/${table} were already committed (redelivery)`);
      return;
    }
    try {
      const result = await writeTable({ store, snapshot, data: batches, mode: "append", appTransaction: { appId, version: 1 }, targetFileSize: WORKER_TARGET_FILE_SIZE });
      for (const m of good) m.ack();
      const what = result.status === "committed" ? `committed at version ${result.version} (${result.rows} rows)` : `already committed (a concurrent delivery won, version ${result.version})`;
      console.log(`delta-edge queue ${queue}: ${good.length} messages for ${schema}/${table} ${what}`);
    } catch (error) {
      retry(good, `commit of ${good.length} messages for ${schema}/${table} failed: ${errorText(error)}`);
    }
  } catch (error) {
    retry(all, `cannot write ${schema}/${table}: ${errorText(error)}`);
  }
}

/** Checks a message body: `{table, rows}` (or its JSON text). */
export function parseMessage(body: unknown): { ref: TableRef; rows: Record<string, unknown>[] } {
  const value: unknown = typeof body === "string" ? JSON.parse(body) : body;
  if (typeof value !== "object" || value === null) throw new Error("the body must be an object {table, rows}");
  const { table, rows } = value as Partial<IngestMessage>;
  if (typeof table !== "string") throw new Error('"table" must be a string "<schema>/<table>"');
  const parts = table.split("/");
  if (parts.length !== 2) throw new Error(`"table" must be "<schema>/<table>", got ${JSON.stringify(table)}`);
  if (!Array.isArray(rows) || rows.some((r) => typeof r !== "object" || r === null || Array.isArray(r))) throw new Error('"rows" must be an array of objects');
  return { ref: { schema: checkName("schema", parts[0] as string), table: checkName("table", parts[1] as string) }, rows: rows as Record<string, unknown>[] };
}

function retry(messages: readonly QueueMessageLike[], why: string): void {
  console.warn(`delta-edge queue: ${why}; retrying`);
  for (const m of messages) m.retry({ delaySeconds: Math.min(300, 2 ** Math.min(m.attempts, 8)) });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
