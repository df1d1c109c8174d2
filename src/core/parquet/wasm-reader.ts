/**
 * A ParquetReader on parquet-wasm (arrow-rs compiled to WebAssembly) for whole-file decoding.
 * `readMetadata` is the JS footer parse (one small ranged read, the hyparquet reader's). `read`
 * plans the target schema against the file exactly as the JS reader does (read-plan.ts: names or
 * field ids, absent columns, type checks before any fetch), fetches only the needed column chunks
 * and packs them into a compact Parquet file (wasm-bytes.ts), decodes it in wasm (row groups in
 * runs of bounded size), copies the result out through the Arrow C Data Interface (wasm-ffi.ts)
 * and converts it to the exact target schema (wasm-convert.ts). INT96 columns are decoded by the
 * JS reader and zipped in (wasm-mixed.ts explains why). Whatever else the wasm path cannot do -
 * parquet-wasm not loadable (Workers without a registered module), legacy LZ4/LZO chunks, row
 * groups too large for wasm32 memory, a decode error, an unexpected decoded layout - is read by
 * the hyparquet reader instead (from the bytes already fetched), so results never differ by
 * reader; genuinely corrupt files then fail with the JS reader's error.
 */
import { RecordBatch, Schema, Struct, makeData, type Data } from "apache-arrow";
import type { FileMetaData } from "hyparquet";
import type { ParquetReader, ParquetSource } from "./reader.js";
import { ParquetFormatError } from "./errors.js";
import { schemaTreeOf } from "./hyparquet-metadata.js";
import { createHyparquetReader, type HyparquetReaderOptions } from "./hyparquet-reader.js";
import { leavesToRead, neededChunks, planFileRead, type ReadPlan } from "./read-plan.js";
import { sourceWithPieces, type FetchedPiece } from "./source.js";
import { compactFile } from "./wasm-bytes.js";
import { childByName, convertColumn } from "./wasm-convert.js";
import { importBatches } from "./wasm-ffi.js";
import { jsOnlyFields, zipParts, type ColumnPart } from "./wasm-mixed.js";
import { DeltaError } from "../errors.js";
import { loadParquetWasm, type ParquetWasm } from "./wasm-loader.js";

/** Options of the parquet-wasm reader (the hyparquet options apply to footers and fallbacks). */
export interface WasmReaderOptions extends HyparquetReaderOptions {
  /** Loads parquet-wasm (default: `loadParquetWasm`, see wasm-loader.ts for registering the .wasm). */
  load?: () => Promise<ParquetWasm>;
  /**
   * Row groups whose needed chunks decode to more than this many bytes (their uncompressed size)
   * are read by the JS decoder: wasm32 memory is 4 GiB at most and never shrinks (default 1 GiB).
   */
  maxGroupBytes?: number;
  /** Called when a read is handed to the JS decoder, with the reason (diagnostics, tests). */
  onFallback?: (event: { path: string | undefined; reason: string }) => void;
}

/** Codecs parquet-wasm 0.8 decodes (legacy Hadoop LZ4 and LZO are not among them). */
const WASM_CODECS = new Set(["UNCOMPRESSED", "SNAPPY", "GZIP", "BROTLI", "ZSTD", "LZ4_RAW"]);
/** Row groups are decoded together in one wasm call while their needed bytes stay under this. */
const CALL_BYTES = 128 * 2 ** 20;

/** Creates a ParquetReader that decodes with parquet-wasm and falls back to hyparquet per file. */
export function createWasmReader(options: WasmReaderOptions = {}): ParquetReader {
  const fallback = createHyparquetReader(options);
  const load = options.load ?? loadParquetWasm;
  const maxGroupBytes = options.maxGroupBytes ?? 2 ** 30;
  let unavailable: string | undefined;
  const loadWasm = async (): Promise<ParquetWasm | string> => {
    if (unavailable !== undefined) return unavailable;
    try {
      return await load();
    } catch (e) {
      // not retried by this reader: the runtime cannot load it (or nobody registered the .wasm)
      return (unavailable = `parquet-wasm unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return {
    readMetadata: (source, opts) => fallback.readMetadata(source, opts),
    async *read(readOptions) {
      const { source, metadata, targetSchema, signal } = readOptions;
      const path = source.path;
      const native = metadata.native;
      const root = schemaTreeOf(native);
      const { fields: plans, leaves } = planFileRead(readOptions);
      const groups = (readOptions.rowGroups ?? metadata.rowGroups.map((_, i) => i)).filter((g) => {
        const group = metadata.rowGroups[g];
        if (group === undefined) throw new ParquetFormatError(`row group ${g} does not exist`, { path });
        return group.numRows > 0;
      });
      const handOver = (reason: string | undefined, from: ParquetSource = source): AsyncIterable<RecordBatch> => {
        if (reason !== undefined) options.onFallback?.({ path, reason });
        return fallback.read({ ...readOptions, source: from });
      };
      const jsFields = jsOnlyFields(plans, root);
      const wasmFields = plans.map((_, i) => i).filter((i) => !jsFields.includes(i));
      const wasmLeaves = leavesToRead(wasmFields.map((i) => plans[i]!));
      // nothing to decode (no rows, or only columns absent from the file): the JS path fetches nothing
      if (groups.length === 0 || leaves.size === 0) return yield* handOver(undefined);
      if (wasmLeaves.size === 0) return yield* handOver("only INT96 columns (decoded exactly by the JS reader)");
      const calls = packGroups(native, wasmLeaves, groups, maxGroupBytes);
      if (typeof calls === "string") return yield* handOver(calls);
      const wasm = await loadWasm();
      if (typeof wasm === "string") return yield* handOver(wasm);
      const maxRows = Math.max(1, ...groups.map((g) => metadata.rowGroups[g]!.numRows));
      const batchSize = readOptions.batchSize !== undefined && readOptions.batchSize > 0 ? Math.floor(readOptions.batchSize) : maxRows;
      let parts: ColumnPart[] = [];
      const fetched: FetchedPiece[] = [];
      try {
        for (const call of calls) {
          signal?.throwIfAborted();
          const compact = await compactFile({ source, native, root, leaves: wasmLeaves, groups: call, signal });
          fetched.push(...compact.fetched);
          signal?.throwIfAborted();
          for (const d of decode(wasm, compact.file, batchSize)) {
            parts.push({ length: d.length, columns: wasmFields.map((i) => convertColumn(plans[i]!, nodeData(plans[i]!, d), d.length)) });
          }
        }
      } catch (e) {
        if (e instanceof DeltaError || (e instanceof Error && e.name === "AbortError")) throw e; // storage and abort errors
        // a trap may leave the instance in a bad state: later reads go to the JS decoder
        if (e instanceof WebAssembly.RuntimeError) unavailable = `parquet-wasm trapped earlier: ${e.message}`;
        return yield* handOver(`parquet-wasm could not read it: ${e instanceof Error ? e.message : String(e)}`, sourceWithPieces(source, fetched));
      }
      if (jsFields.length > 0) {
        const js: ColumnPart[] = [];
        const sub = {
          ...readOptions,
          targetSchema: new Schema(jsFields.map((i) => targetSchema.fields[i]!)),
          rowGroups: groups,
          ...(readOptions.columns === undefined ? {} : { columns: jsFields.map((i) => readOptions.columns![i]!) }),
        };
        for await (const b of fallback.read(sub)) js.push({ length: b.numRows, columns: b.data.children as Data[] });
        parts = zipParts(parts, js);
      }
      // batches never span row groups (as with the JS reader; arrow-rs fills batches across them)
      parts = zipParts(groupCuts(groups.map((g) => metadata.rowGroups[g]!.numRows), batchSize), parts);
      const order = [...wasmFields, ...jsFields];
      for (const part of parts) {
        signal?.throwIfAborted();
        const children: Data[] = new Array(plans.length);
        order.forEach((field, k) => (children[field] = part.columns[k]!));
        yield new RecordBatch(targetSchema, makeData({ type: new Struct(targetSchema.fields), length: part.length, nullCount: 0, children }));
      }
    },
  };
}

/**
 * Packs the row groups into wasm calls of at most CALL_BYTES of needed uncompressed bytes (a
 * larger group alone), or says why the wasm path cannot read them (codec, group size).
 */
function packGroups(native: FileMetaData, leaves: ReadonlySet<string>, groups: readonly number[], maxGroupBytes: number): number[][] | string {
  const calls: number[][] = [];
  let size = Infinity;
  for (const [k, chunks] of neededChunks(native, leaves, groups).entries()) {
    let bytes = 0;
    for (const c of chunks) {
      const m = c.meta_data!;
      if (!WASM_CODECS.has(m.codec)) return `codec ${m.codec} of column ${m.path_in_schema.join(".")}`;
      bytes += Number(m.total_uncompressed_size);
    }
    if (bytes > maxGroupBytes) return `row group ${groups[k]} needs ${bytes} bytes, over the wasm limit of ${maxGroupBytes}`;
    if (size + bytes > CALL_BYTES) {
      calls.push([]);
      size = 0;
    }
    calls[calls.length - 1]!.push(groups[k]!);
    size += bytes;
  }
  return calls;
}

/** Decodes a compact file in wasm and copies the batches out (struct Data per batch). */
function decode(wasm: ParquetWasm, file: Uint8Array, batchSize: number): Data<Struct>[] {
  const table = wasm.readParquet(file, { batchSize });
  const ffi = table.intoFFI();
  try {
    return importBatches({ memory: wasm.wasmMemory(), schemaAddr: ffi.schemaAddr(), arrayAddrs: [...ffi.arrayAddrs()] });
  } finally {
    ffi.drop();
  }
}

/** Empty parts cutting each row group into batches of at most `batchSize` rows. */
function groupCuts(groupRows: readonly number[], batchSize: number): ColumnPart[] {
  const out: ColumnPart[] = [];
  for (const rows of groupRows) for (let at = 0; at < rows; at += batchSize) out.push({ length: Math.min(batchSize, rows - at), columns: [] });
  return out;
}

/** The decoded Data of a plan's top-level file node in a decoded batch. */
function nodeData(plan: ReadPlan, batch: Data<Struct>): Data | undefined {
  return plan.kind === "missing" ? undefined : childByName(batch, plan.name);
}
