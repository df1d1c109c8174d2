/**
 * The pure-JS ParquetReader on hyparquet. `readMetadata` fetches the footer with ranged reads
 * (footer.ts). `read` plans the target schema against the file (read-plan.ts), hands hyparquet a
 * decode view of the footer that lists only the needed column chunks, decodes one row group at a
 * time through hyparquet's per-page callback (raw physical values assembled per leaf), builds
 * Arrow Data per column (assemble.ts, leaf-convert.ts) and yields RecordBatches of exactly the
 * target schema, `batchSize` rows at most. Columns absent from the file are all-null; a read
 * that needs no column chunk at all (only absent columns, or none) fetches nothing.
 */
import { makeData, RecordBatch, Struct, type Data, type Schema } from "apache-arrow";
import { parquetRead, type AsyncBuffer, type Compressors, type FileMetaData } from "hyparquet";
import type { ParquetReadOptions, ParquetReader, ParquetSource } from "./reader.js";
import { assembleColumn } from "./assemble.js";
import { defaultCompressors, loadCompressors } from "./compressors.js";
import { ParquetFormatError } from "./errors.js";
import { readFooterBytes, readRange } from "./footer.js";
import { decodeView, parseFooter } from "./hyparquet-metadata.js";
import { concatChunks, type LeafChunk } from "./leaf-chunks.js";
import { planFileRead, type ReadPlan } from "./read-plan.js";
import { leafKey } from "./parquet-shape.js";
import { DeltaError } from "../errors.js";

/** Options of the hyparquet reader. */
export interface HyparquetReaderOptions {
  /** Decompressors by codec (default: pure-JS set, see compressors.ts). */
  compressors?: Compressors;
  /** Size of the first footer read (default 64 KiB). */
  footerFetchSize?: number;
}

/** Raw-value parsers: INT96 stays integer nanoseconds, bytes stay bytes. */
const RAW_PARSERS = {
  timestampFromNanoseconds: (nanos: bigint) => nanos,
  timestampFromMicroseconds: (micros: bigint) => micros,
  timestampFromMilliseconds: (millis: bigint) => millis,
  dateFromDays: (days: number) => days,
  stringFromBytes: (bytes: Uint8Array) => bytes,
};

/** Creates a ParquetReader backed by hyparquet. */
export function createHyparquetReader(options: HyparquetReaderOptions = {}): ParquetReader {
  const compressors = options.compressors ?? defaultCompressors;
  return {
    async readMetadata(source, opts = {}) {
      const bytes = await readFooterBytes(source, {
        signal: opts.signal,
        ...(options.footerFetchSize === undefined ? {} : { initialFetchSize: options.footerFetchSize }),
      });
      return parseFooter(bytes, source.path);
    },
    read(readOptions) {
      return readBatches(readOptions, compressors);
    },
  };
}

async function* readBatches(options: ParquetReadOptions, compressors: Compressors): AsyncGenerator<RecordBatch> {
  const { source, metadata, targetSchema, signal } = options;
  const path = source.path;
  const native = metadata.native;
  const { fields: plans, leaves } = planFileRead(options);
  const view = decodeView(native, leaves);
  const topColumns = [...new Set([...leaves].map((key) => key.split("\u0000")[0]!))];
  const file = asyncBufferOf(source, signal);
  const batchSize = options.batchSize !== undefined && options.batchSize > 0 ? Math.floor(options.batchSize) : Infinity;
  const groups = options.rowGroups ?? metadata.rowGroups.map((_, i) => i);
  if (leaves.size > 0) await loadCompressors(view);
  for (const g of groups) {
    const group = metadata.rowGroups[g];
    if (group === undefined) throw new ParquetFormatError(`row group ${g} does not exist`, { path });
    if (group.numRows === 0) continue;
    signal?.throwIfAborted();
    const values = leaves.size === 0 ? new Map() : await decodeGroup(file, view, topColumns, group.firstRow, group.numRows, compressors, path);
    signal?.throwIfAborted();
    const columns = buildColumns(plans, values, group.numRows, path);
    const batch = makeBatch(targetSchema, columns, group.numRows);
    for (let start = 0; start < group.numRows; start += batchSize) {
      yield batchSize >= group.numRows ? batch : batch.slice(start, Math.min(group.numRows, start + batchSize));
    }
  }
}

async function decodeGroup(
  file: AsyncBuffer,
  view: FileMetaData,
  columns: string[],
  rowStart: number,
  numRows: number,
  compressors: Compressors,
  path: string | undefined,
): Promise<Map<string, ArrayLike<unknown>>> {
  const chunks = new Map<string, LeafChunk[]>();
  try {
    await parquetRead({
      file,
      metadata: view,
      columns,
      rowStart,
      rowEnd: rowStart + numRows,
      compressors,
      utf8: false,
      parsers: RAW_PARSERS,
      onPage: (page) => {
        const key = leafKey(page.pathInSchema);
        let list = chunks.get(key);
        if (list === undefined) chunks.set(key, (list = []));
        list.push({ data: page.columnData, rowStart: page.rowStart, rowEnd: page.rowEnd });
      },
    });
  } catch (cause) {
    throw wrapDecodeError(cause, path);
  }
  const out = new Map<string, ArrayLike<unknown>>();
  for (const [key, list] of chunks) out.set(key, concatChunks(list, rowStart, rowStart + numRows));
  return out;
}

function buildColumns(plans: readonly ReadPlan[], values: Map<string, ArrayLike<unknown>>, n: number, path: string | undefined): Data[] {
  return plans.map((plan) => {
    if (plan.kind !== "missing") {
      for (const key of plan.leaves) {
        const got = values.get(key);
        if (got === undefined || got.length !== n) {
          throw new ParquetFormatError(
            `column ${key.replaceAll("\u0000", ".")}: decoded ${got?.length ?? 0} of ${n} rows`,
            { path },
          );
        }
      }
    }
    return assembleColumn(plan, values, n);
  });
}

function makeBatch(schema: Schema, columns: Data[], length: number): RecordBatch {
  const data = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns });
  return new RecordBatch(schema, data);
}

/** hyparquet's AsyncBuffer over a ParquetSource, honouring the abort signal. */
export function asyncBufferOf(source: ParquetSource, signal: AbortSignal | undefined): AsyncBuffer {
  return {
    byteLength: source.byteLength,
    async slice(start: number, end: number = source.byteLength): Promise<ArrayBuffer> {
      signal?.throwIfAborted();
      const bytes = await readRange(source, start, end);
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
        return bytes.buffer;
      }
      // Copy exactly the bytes (a Node Buffer's slice() is a view into a shared pool).
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

/** A decoder failure as ParquetFormatError (Delta and abort errors pass through). */
export function wrapDecodeError(cause: unknown, path: string | undefined): unknown {
  if (cause instanceof DeltaError) return cause;
  if (cause instanceof Error && cause.name === "AbortError") return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ParquetFormatError(`cannot decode Parquet data: ${message}`, { path, cause });
}
