/**
 * Scan execution: fetch and decode the planned files, apply deletion vectors, add partition
 * columns, filter rows exactly with the predicate, and stream RecordBatches of the output
 * columns (logical names). Memory stays bounded: at most `concurrency` files are in flight, and
 * with a limit files are read one at a time and reading stops as soon as enough rows are out.
 * On request each row also carries its physical row index within its data file (what DML needs
 * to write deletion vectors), computed while decoding, after existing deletion vectors are
 * applied; `scanFiles` streams the batches file by file, so a caller knows which file they are of.
 */
import { Data, Field, Int64, RecordBatch, Schema, Struct, Table, makeData } from "apache-arrow";
import { DeltaError, NotFoundError, StorageError } from "../errors.js";
import { prepareReads, type ObjectStore } from "../storage/object-store.js";
import { deletionVectorLocation, loadDeletionVector, keepMask, selectMask, type DvByteReader, type DvLocation } from "../log/deletion-vector.js";
import { deltaSchemaToArrow } from "../schema/arrow-schema.js";
import { physicalSchema } from "../schema/column-mapping.js";
import type { StructField } from "../schema/types.js";
import type { ParquetReader } from "./parquet/adapter.js";
import { defaultReader } from "./reader-choice.js";
import { constantColumn } from "./partition-columns.js";
import { predicateMask } from "./row-filter.js";
import { boundColumns } from "../expr/bound.js";
import { dataFileKey } from "./data-path.js";
import { maskIndexes, takeRows } from "./arrow-take.js";
import type { PlannedFile, ScanPlan } from "./plan.js";

/** Options of scan execution. */
export interface ExecuteOptions {
  store: ObjectStore;
  /** Parquet decoder (default: per runtime and query, see reader-choice.ts). */
  reader?: ParquetReader;
  /** Stop after this many rows. */
  limit?: number | undefined;
  /** Maximum rows per batch read from a file. */
  batchSize?: number | undefined;
  /** Files read ahead (default 4; 1 when a limit is set). */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Adds a last column of this name (Int64, not nullable) holding each row's physical index
   * within its data file (0-based, counting rows hidden by the file's deletion vector).
   */
  rowIndexColumn?: string | undefined;
}

/** The Arrow schema of a plan's output (logical names, table order or the requested order). */
export function outputSchema(plan: ScanPlan, options: { rowIndexColumn?: string | undefined } = {}): Schema {
  const schema = deltaSchemaToArrow({ kind: "struct", fields: plan.outputFields });
  if (options.rowIndexColumn === undefined) return schema;
  return new Schema([...schema.fields, new Field(options.rowIndexColumn, new Int64(), false)], schema.metadata);
}

/** The output of one planned file. */
export interface ScannedFile {
  file: PlannedFile;
  /** Its output batches, in file order (none when no row survives). */
  batches: RecordBatch[];
}

/**
 * Streams the scan file by file, in plan order, with up to `concurrency` files read ahead (a
 * limit is ignored here: every planned file is read whole).
 */
export async function* scanFiles(plan: ScanPlan, options: ExecuteOptions): AsyncGenerator<ScannedFile> {
  const schema = outputSchema(plan, options);
  const reader = options.reader ?? defaultReader({ limit: undefined, scanBytes: plan.files.reduce((n, f) => n + Number(f.add.size), 0) });
  const ahead = Math.max(1, options.concurrency ?? 4);
  const ctx = new FileContext(plan, schema, reader, options);
  const inFlight: { file: PlannedFile; read: Promise<RecordBatch[]> }[] = [];
  let next = 0;
  const fill = (): void => {
    while (inFlight.length < ahead && next < plan.files.length) {
      const index = next++;
      const file = plan.files[index] as PlannedFile;
      const read = ctx.readFile(file, index);
      // Handled now, so a failure while an earlier file is awaited is not an unhandled rejection;
      // awaiting `read` later still throws it.
      read.catch(() => undefined);
      inFlight.push({ file, read });
    }
  };
  fill();
  while (inFlight.length > 0) {
    const { file, read } = inFlight.shift() as { file: PlannedFile; read: Promise<RecordBatch[]> };
    const batches = await read;
    yield { file, batches };
    fill();
  }
}

/** Streams the scan's rows as RecordBatches of the output schema. */
export async function* scanBatches(plan: ScanPlan, options: ExecuteOptions): AsyncGenerator<RecordBatch> {
  const limit = options.limit;
  if (limit !== undefined && limit <= 0) return;
  if (limit === undefined) {
    for await (const { batches } of scanFiles(plan, options)) yield* batches;
    return;
  }
  // One file at a time, batch by batch: reading stops (and the decoder with it) once the limit
  // is reached, so only the row groups needed are fetched.
  const schema = outputSchema(plan, options);
  const reader = options.reader ?? defaultReader({ limit, scanBytes: plan.files.reduce((n, f) => n + Number(f.add.size), 0) });
  const ctx = new FileContext(plan, schema, reader, options);
  let emitted = 0;
  for (const [index, file] of plan.files.entries()) {
    for await (const b of ctx.readFileStream(file, index)) {
      if (emitted + b.numRows >= limit) {
        yield b.slice(0, limit - emitted);
        return;
      }
      emitted += b.numRows;
      yield b;
    }
  }
}

/** Reads the whole scan into an Arrow Table. */
export async function scanTable(plan: ScanPlan, options: ExecuteOptions): Promise<Table> {
  const batches: RecordBatch[] = [];
  for await (const b of scanBatches(plan, options)) if (b.numRows > 0) batches.push(b);
  return batches.length > 0 ? new Table(batches) : new Table(outputSchema(plan, options));
}

/** Up to this many runs of kept rows are emitted as slices whatever their length. */
const MAX_SLICES = 8;
/** Beyond MAX_SLICES, runs this long on average are still sliced (a slice costs about this many row copies). */
const MIN_SLICE_ROWS = 1024;

/** Files whose keys are handed to the store as one read hint (see ObjectStore.prepareReads). */
const HINT_FILES = 100;

/** Per-scan state shared by the file reads. */
class FileContext {
  private readonly physicalRead: Schema;
  private readonly workFields: StructField[];
  /** Read hints given, by window of HINT_FILES files. */
  private readonly hints = new Map<number, Promise<void>>();

  constructor(
    private readonly plan: ScanPlan,
    private readonly schema: Schema,
    private readonly reader: ParquetReader,
    private readonly options: ExecuteOptions,
  ) {
    const physical = plan.physicalSchema ?? physicalSchema(plan.schema, plan.columnMapping, { fieldIds: plan.columnMapping === "id" });
    const physicalFields = plan.readFields.map((f) => physical.fields[plan.schema.fields.indexOf(f)] as StructField);
    this.physicalRead = deltaSchemaToArrow({ kind: "struct", fields: physicalFields });
    // Columns the predicate needs beyond the output ones: data columns read from the files, and
    // partition columns (made from the partition values like output ones).
    const out = new Set(plan.outputFields.map((f) => f.name));
    const inPredicate = new Set(plan.predicate ? boundColumns(plan.predicate).map((c) => c.path[0]) : []);
    this.workFields = [...plan.outputFields, ...plan.schema.fields.filter((f) => !out.has(f.name) && (plan.readFields.includes(f) || inPredicate.has(f.name)))];
  }

  async readFile(file: PlannedFile, index: number): Promise<RecordBatch[]> {
    const out: RecordBatch[] = [];
    for await (const b of this.readFileStream(file, index)) out.push(b);
    return out;
  }

  /**
   * Hints the store about the data and deletion-vector files of the window of files holding
   * `index`, once per window: a store that signs requests signs a window in one round trip.
   */
  private prepare(index: number): Promise<void> {
    const { plan, options } = this;
    if (options.store.prepareReads === undefined) return Promise.resolve();
    const window = Math.floor(index / HINT_FILES);
    let hint = this.hints.get(window);
    if (hint === undefined) {
      const context = { path: plan.snapshot.tableRoot, version: plan.snapshot.version };
      const keys: string[] = [];
      for (const file of plan.files.slice(window * HINT_FILES, (window + 1) * HINT_FILES)) {
        try {
          keys.push(dataFileKey(file.add.path, options.store.root, context));
          const dv = file.add.deletionVector ? deletionVectorLocation(file.add.deletionVector) : undefined;
          if (dv !== undefined) keys.push(dv.kind === "relative" ? dv.key : dataFileKey(dv.uri, options.store.root, context));
        } catch {
          // a path the read itself refuses, with its own error
        }
      }
      hint = prepareReads(options.store, keys);
      this.hints.set(window, hint);
    }
    return hint;
  }

  /** The output batches of one file, as it is decoded. */
  async *readFileStream(file: PlannedFile, index: number): AsyncGenerator<RecordBatch> {
    const { plan, options } = this;
    const { store } = options;
    const context = { path: plan.snapshot.tableRoot, version: plan.snapshot.version };
    const key = dataFileKey(file.add.path, store.root, context);
    const source = {
      byteLength: Number(file.add.size),
      path: `${store.root}/${key}`,
      read: (start: number, end: number) => store.get(key, { range: { offset: start, length: end - start } }),
    };
    try {
      await this.prepare(index);
      const deleted = file.add.deletionVector && file.selectedRows === undefined
        ? await loadDeletionVector({ descriptor: file.add.deletionVector, tableRoot: plan.snapshot.tableRoot, read: deletionVectorReader(store, context) })
        : undefined;
      const metadata = await this.reader.readMetadata(source, options.signal ? { signal: options.signal } : {});
      const out: RecordBatch[] = [];
      let rowStart = 0;
      if (plan.readFields.length === 0) {
        for (let start = 0; start < metadata.numRows; start += options.batchSize ?? 65536) {
          const n = Math.min(options.batchSize ?? 65536, metadata.numRows - start);
          this.emit(file, [], n, rowStart, deleted, out);
          yield* out.splice(0);
          rowStart += n;
        }
        return;
      }
      const stream = this.reader.read({
        source,
        metadata,
        targetSchema: this.physicalRead,
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      for await (const batch of stream) {
        this.emit(file, batch.data.children as Data[], batch.numRows, rowStart, deleted, out);
        yield* out.splice(0);
        rowStart += batch.numRows;
      }
    } catch (err) {
      if (err instanceof NotFoundError && err.path === source.path) {
        throw new NotFoundError(`data file ${key} is missing`, { ...context, cause: err });
      }
      if (err instanceof DeltaError) throw err;
      throw new StorageError(`cannot read data file ${key}: ${err instanceof Error ? err.message : String(err)}`, { ...context, cause: err });
    }
  }

  /** Builds output batches from one decoded batch: partition columns, DV and predicate masks. */
  private emit(file: PlannedFile, dataColumns: Data[], length: number, rowStart: number, deleted: ArrayLike<number | bigint> | undefined, out: RecordBatch[]): void {
    const { plan } = this;
    const columns = new Map<string, Data>();
    plan.readFields.forEach((f, i) => columns.set(f.name, dataColumns[i] as Data));
    const work = this.workFields.map((f) => {
      const existing = columns.get(f.name);
      if (existing) return existing;
      const arrowField = deltaSchemaToArrow({ kind: "struct", fields: [f] }).fields[0] as Field;
      return constantColumn(arrowField, f.type, file.partitionValues[f.name] ?? null, length);
    });
    let mask: Uint8Array | undefined = file.selectedRows
      ? selectMask(file.selectedRows, rowStart, rowStart + length)
      : deleted
        ? keepMask(deleted as never, rowStart, rowStart + length)
        : undefined;
    if (plan.predicate) mask = predicateMask(plan.predicate, this.workFields.map((f, j) => [f, work[j] as Data] as const), length, mask);
    const outputData = work.slice(0, plan.outputFields.length);
    if (this.options.rowIndexColumn !== undefined) outputData.push(rowIndexData(rowStart, length));
    const batch = new RecordBatch(this.schema, makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children: outputData }));
    if (!mask) {
      out.push(batch);
      return;
    }
    // Few long runs of kept rows stay zero-copy slices; scattered rows are gathered into one batch.
    let runs = 0;
    let kept = 0;
    for (let i = 0; i < length; i++) {
      if (mask[i] === 0) continue;
      kept++;
      if (i === 0 || mask[i - 1] === 0) runs++;
    }
    if (kept === 0) return;
    if (runs > MAX_SLICES && kept / runs < MIN_SLICE_ROWS) {
      const rows = maskIndexes(mask, length);
      const children = outputData.map((d) => takeRows(d, rows));
      out.push(new RecordBatch(this.schema, makeData({ type: new Struct(this.schema.fields), length: rows.length, nullCount: 0, children })));
      return;
    }
    let i = 0;
    while (i < length) {
      while (i < length && mask[i] === 0) i++;
      const start = i;
      while (i < length && mask[i] !== 0) i++;
      if (i > start) out.push(start === 0 && i === length ? batch : batch.slice(start, i));
    }
  }
}

/** The physical row indexes [start, start + length) as an Int64 column (written as 32-bit words: no BigInt per row). */
function rowIndexData(start: number, length: number): Data {
  const values = new BigInt64Array(length);
  const words = new Uint32Array(values.buffer);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const [lo, hi] = little ? [0, 1] : [1, 0];
  for (let i = 0; i < length; i++) {
    const v = start + i;
    words[2 * i + lo] = v >>> 0;
    words[2 * i + hi] = Math.floor(v / 0x1_0000_0000);
  }
  return makeData({ type: new Int64(), length, nullCount: 0, data: values });
}

/** Reads byte ranges of a table's DV files (relative `u` keys and absolute `p` paths under the root). */
export function deletionVectorReader(store: ObjectStore, context: { path: string; version: number }): DvByteReader {
  return (loc, range) => readDv(store, loc, range, context);
}

async function readDv(store: ObjectStore, loc: DvLocation, range: { offset: number; length: number }, context: { path: string; version: number }): Promise<Uint8Array> {
  const key = loc.kind === "relative" ? loc.key : dataFileKey(loc.uri, store.root, context);
  try {
    return await store.get(key, { range });
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`deletion vector file ${key} is missing`, { ...context, cause: err });
    throw err;
  }
}
