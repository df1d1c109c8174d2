/**
 * Arrow rows -> Delta data files in a store, plus their `add` actions (not committed: the
 * transaction layer commits them). Input is consumed batch by batch: each batch is validated and
 * conformed to the table schema (data-validate.ts), split by partition (partition-split.ts) and
 * appended to that partition's buffer, whose stats accumulate as rows arrive (stats.ts). A buffer
 * is written as one parquet file (parquet-writer.ts) once it holds `targetFileSize` bytes of Arrow
 * data (estimated from the buffers; compressed parquet files come out smaller), and when all
 * buffers together exceed `maxBufferedBytes` the largest is written early, so memory stays bounded
 * for any input size and partition count. Batches larger than the target are sliced.
 *
 * Files are named like Spark's, `part-00000-<uuid v4>-c000.snappy.parquet`, in the partition's Hive
 * directory (`a=1/b=x%2Fy/...`); under column mapping, or with `delta.randomizeFilePrefixes`, in a
 * random `delta.randomPrefixLength`-character directory instead (Spark does the same, so a rename
 * never meets a directory named after the old name). The store key is the literal path; `add.path`
 * is it URI-encoded. If writing fails, files this call already wrote are deleted (best effort);
 * any left over are unreferenced and vacuum removes them. With `fileKind: "cdc"` the same machinery
 * writes change data files instead (`_change_data/[<partition dir>/]cdc-00000-<uuid>.c000...`).
 */

import { RecordBatch, Table } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { AddFile } from "../log/actions.js";
import { columnMappingMode } from "../schema/column-mapping.js";
import { encodeAddPath } from "../schema/partition-path.js";
import type { StructType } from "../schema/types.js";
import type { ObjectStore } from "../storage/object-store.js";
import { validateDataSchema, type DataConformer } from "./data-validate.js";
import { estimateBytes } from "../arrow/data.js";
import { dataSchemaOf, splitByPartition, type PartitionGroup } from "./partition-split.js";
import { arrowToParquet } from "./parquet-writer.js";
import { parquetFileSuffix, type ParquetCompression } from "../parquet/writer.js";
import { StatsCollector } from "./stats.js";

/** Default target of Arrow bytes per file: 32 MiB (Workers: pass 8-16 MiB, Node: 128 MiB is fine). */
export const DEFAULT_TARGET_FILE_SIZE = 32 * 1024 * 1024;

/** Uploads in flight while the next file is encoded. */
const MAX_PENDING_UPLOADS = 4;

/** Options of {@link writeDataFiles}. */
export interface WriteDataFilesOptions {
  /** Store rooted at the table. */
  store: ObjectStore;
  /** The rows: a Table, one batch, or a (async) stream of batches. */
  data: Table | RecordBatch | Iterable<RecordBatch> | AsyncIterable<RecordBatch>;
  /** Table schema (logical names), partition columns included. */
  schema: StructType;
  /** Partition columns (logical names); default none. */
  partitionColumns?: readonly string[];
  /** Table configuration: column mapping, stats columns, random prefixes. */
  properties?: Readonly<Record<string, string>>;
  /** Parquet codec; default "snappy". */
  compression?: ParquetCompression;
  /** Arrow bytes per file before it is written; default 32 MiB. */
  targetFileSize?: number;
  /** Arrow bytes buffered across all partitions before the largest is written; default targetFileSize. */
  maxBufferedBytes?: number;
  /** Rows per parquet row group; default 1,048,576. */
  maxRowGroupSize?: number;
  /** Clock for `modificationTime` (ms since the epoch); default Date.now. */
  now?: () => number;
  /** Arrow columns missing from the schema: "error" (default) or "ignore". */
  extraColumns?: "error" | "ignore";
  /** Timestamp partition value format (partition-values.ts); default "iso8601". */
  timestampPartitionFormat?: "iso8601" | "space";
  /**
   * Sees every batch after validation (table schema, logical names, canonical layout) before it is
   * split and buffered; throwing aborts the write. For row checks such as replaceWhere predicates
   * or CHECK constraints, without reading the data twice.
   */
  onBatch?: (batch: RecordBatch) => void | Promise<void>;
  /** Aborts between batches. */
  signal?: AbortSignal;
  /**
   * "data" (default), or "cdc" for change data files (PROTOCOL.md "Change Data Files"): named
   * `cdc-<n>-<uuid>.c000<suffix>` under `_change_data/` (in the partition's Hive directory when the
   * table uses them), without stats; the schema's {@link CHANGE_TYPE_COLUMN} is written under its
   * own name, with no field id, even under column mapping (it is not a table column).
   */
  fileKind?: "data" | "cdc";
}

/** The column of change data files that says what a row is (insert, delete, update_preimage, update_postimage). */
export const CHANGE_TYPE_COLUMN = "_change_type";

/** The directory of change data files. */
export const CHANGE_DATA_DIR = "_change_data";

interface Buffer {
  group: Omit<PartitionGroup, "batch">;
  batches: RecordBatch[];
  bytes: number;
  rows: number;
  stats: StatsCollector | undefined;
}

/**
 * Writes the rows as data files and returns their add actions (dataChange: true, stats JSON).
 * Empty input writes nothing and returns [].
 * @throws InvalidInputError for data that does not fit the schema (naming the column) or bad
 *   options; ParquetWasmError when parquet-wasm is unavailable; store errors as thrown.
 */
export async function writeDataFiles(options: WriteDataFilesOptions): Promise<AddFile[]> {
  const { store, schema } = options;
  const partitionColumns = options.partitionColumns ?? [];
  const properties = options.properties ?? {};
  const mode = columnMappingMode(properties);
  const target = positive(options.targetFileSize ?? DEFAULT_TARGET_FILE_SIZE, "targetFileSize");
  const maxBuffered = positive(options.maxBufferedBytes ?? target, "maxBufferedBytes");
  const dataSchema = dataSchemaOf({ schema, partitionColumns });
  const compression = options.compression ?? "snappy";
  const suffix = parquetFileSuffix(compression);
  const now = options.now ?? Date.now;
  const cdc = options.fileKind === "cdc";
  const randomPrefix = randomPrefixLength(properties, mode !== "none");

  const adds: AddFile[] = [];
  const written: string[] = [];
  const pending: Promise<void>[] = [];
  const buffers = new Map<string, Buffer>();
  let buffered = 0;
  let fileIndex = 0;
  const conformers = new WeakMap<object, DataConformer>();

  const flush = async (buf: Buffer): Promise<void> => {
    buffers.delete(buf.group.key);
    buffered -= buf.bytes;
    if (buf.rows === 0) return;
    const bytes = await arrowToParquet({
      data: buf.batches,
      schema: dataSchema,
      columnMapping: mode,
      compression,
      ...(options.maxRowGroupSize === undefined ? {} : { maxRowGroupSize: options.maxRowGroupSize }),
      ...(cdc ? { unmappedColumns: [CHANGE_TYPE_COLUMN] } : {}),
    });
    const name = `${cdc ? "cdc" : "part"}-${String(fileIndex++).padStart(5, "0")}-${crypto.randomUUID()}${cdc ? ".c000" : "-c000"}${suffix}`;
    let dir = randomPrefix > 0 ? randomDirectory(randomPrefix) : buf.group.directory;
    if (cdc) dir = randomPrefix > 0 || buf.group.directory === "" ? CHANGE_DATA_DIR : `${CHANGE_DATA_DIR}/${buf.group.directory}`;
    const key = dir === "" ? name : `${dir}/${name}`;
    const add: AddFile = { path: encodeAddPath(key), partitionValues: buf.group.partitionValues, size: bytes.byteLength, modificationTime: 0, dataChange: !cdc };
    if (buf.stats) {
      buf.stats.useFileBounds(bytes, buf.batches, key);
      add.stats = buf.stats.statsJson();
    }
    adds.push(add);
    if (pending.length >= MAX_PENDING_UPLOADS) await pending.shift();
    const upload = store.put(key, bytes).then(() => {
      written.push(key);
      add.modificationTime = now();
    });
    upload.catch(() => undefined); // rejections surface when awaited below, not as unhandled
    pending.push(upload);
  };

  const append = async (group: PartitionGroup): Promise<void> => {
    let rest = group.batch;
    while (rest.numRows > 0) {
      let buf = buffers.get(group.key);
      if (buf === undefined) {
        const { batch: _omit, ...meta } = group;
        const stats = cdc ? undefined : new StatsCollector({ schema: dataSchema, columnMapping: mode, properties, boundsFromFile: true });
        buf = { group: meta, batches: [], bytes: 0, rows: 0, stats };
        buffers.set(group.key, buf);
      }
      const bytes = batchBytes(rest);
      const perRow = bytes / rest.numRows;
      let take = rest.numRows;
      if (buf.bytes + bytes > target && rest.numRows > 1) {
        take = Math.floor((target - buf.bytes) / Math.max(perRow, 1e-9));
        if (take <= 0 && buf.rows > 0) {
          await flush(buf);
          continue;
        }
        take = Math.min(rest.numRows, Math.max(1, take));
      }
      const piece = take === rest.numRows ? rest : rest.slice(0, take);
      const pieceBytes = take === rest.numRows ? bytes : batchBytes(piece);
      buf.batches.push(piece);
      buf.stats?.add(piece);
      buf.bytes += pieceBytes;
      buf.rows += piece.numRows;
      buffered += pieceBytes;
      rest = take === rest.numRows ? rest.slice(rest.numRows) : rest.slice(take);
      if (buf.bytes >= target) await flush(buf);
    }
  };

  try {
    for await (const input of batchesOf(options.data)) {
      options.signal?.throwIfAborted();
      if (input.numRows === 0) continue;
      let conformer = conformers.get(input.schema);
      if (conformer === undefined) {
        conformer = validateDataSchema({ arrowSchema: input.schema, schema, extraColumns: options.extraColumns ?? "error" });
        conformers.set(input.schema, conformer);
      }
      const batch = conformer.conform(input);
      await options.onBatch?.(batch);
      const groups = splitByPartition({
        batch,
        schema,
        partitionColumns,
        columnMapping: mode,
        ...(options.timestampPartitionFormat === undefined ? {} : { timestampFormat: options.timestampPartitionFormat }),
      });
      for (const group of groups) await append(group);
      while (buffered > maxBuffered && buffers.size > 0) await flush(largest(buffers));
    }
    for (const buf of [...buffers.values()]) await flush(buf);
    await Promise.all(pending);
  } catch (e) {
    await Promise.allSettled(pending);
    await Promise.allSettled(written.map((k) => store.delete(k)));
    throw e;
  }
  return adds;
}

function positive(n: number, name: string): number {
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidInputError(`${name} must be a positive number of bytes, got ${n}`);
  return n;
}

function batchBytes(batch: RecordBatch): number {
  return batch.data.children.reduce((sum, d) => sum + estimateBytes(d), 0);
}

function largest(buffers: Map<string, Buffer>): Buffer {
  let best: Buffer | undefined;
  for (const b of buffers.values()) if (best === undefined || b.bytes > best.bytes) best = b;
  return best as Buffer;
}

/** The batches of the input (duck-typed too, in case the caller has another apache-arrow copy). */
async function* batchesOf(data: WriteDataFilesOptions["data"]): AsyncGenerator<RecordBatch> {
  if (data instanceof Table || isTableLike(data)) yield* (data as Table).batches;
  else if (data instanceof RecordBatch || isBatchLike(data)) yield data as RecordBatch;
  else yield* data as Iterable<RecordBatch> | AsyncIterable<RecordBatch>;
}

function isTableLike(x: unknown): boolean {
  return typeof x === "object" && x !== null && Array.isArray((x as { batches?: unknown }).batches) && "schema" in x;
}

function isBatchLike(x: unknown): boolean {
  return typeof x === "object" && x !== null && "schema" in x && "data" in x && typeof (x as { numRows?: unknown }).numRows === "number";
}

/** Length of random file-prefix directories (0 for none): under column mapping or delta.randomizeFilePrefixes. */
export function randomPrefixLength(properties: Readonly<Record<string, string>>, columnMapping: boolean): number {
  const randomize = properties["delta.randomizeFilePrefixes"]?.trim().toLowerCase() === "true";
  if (!randomize && !columnMapping) return 0;
  const raw = properties["delta.randomPrefixLength"];
  const n = raw === undefined ? 2 : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`delta.randomPrefixLength must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random alphanumeric directory name of `length` characters. */
export function randomDirectory(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
}
