/**
 * OPTIMIZE (compaction): within each partition, bin-pack files smaller than the target size into
 * groups and rewrite each group as one (or a few) larger files, in one commit whose adds and
 * removes carry `dataChange: false` (readers of the change feed see no change). Deletion vectors
 * are applied while reading, so compaction also purges deleted rows. It conflicts only with a
 * concurrent commit that removes one of the files it rewrites.
 */
import { InvalidInputError } from "../errors.js";
import type { AddFile } from "../log/actions.js";
import type { LogStore } from "../logstore/log-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { bindPredicate, planScan } from "../scan/plan.js";
import { scanBatches } from "../scan/execute.js";
import { columnMappingMode } from "../schema/column-mapping.js";
import { boundColumns } from "../expr/bound.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import { writeDataFiles } from "./data-files.js";
import type { ParquetCompression } from "../parquet/writer.js";
import { planReplaceWhere } from "./replace-where.js";
import { Transaction, type CommitResult } from "./transaction.js";

/** Options of {@link optimize}. */
export interface OptimizeOptions {
  store: ObjectStore;
  /** Files at least this large are left alone; also the size new files aim for (default 100 MiB, delta-rs's). */
  targetSize?: number | undefined;
  /** Only partitions matching this predicate (on partition columns). */
  where?: string | undefined;
  compression?: ParquetCompression | undefined;
  logStore?: LogStore | undefined;
  now?: (() => number) | undefined;
}

/** What optimize did. */
export interface OptimizeResult {
  /** The new version, or the version read when there was nothing to do. */
  version: number;
  filesRemoved: number;
  filesAdded: number;
  partitionsOptimized: number;
  commit?: CommitResult | undefined;
}

/** Compacts small files per partition. */
export async function optimize(options: OptimizeOptions): Promise<OptimizeResult> {
  const { store } = options;
  const targetSize = options.targetSize ?? 100 * 1024 * 1024;
  if (!(targetSize > 0)) throw new InvalidInputError(`targetSize must be positive, got ${options.targetSize}`);
  const snapshot = await loadSnapshot({ store });
  const base = planScan(snapshot, {});
  let candidates = snapshot.files().filter((f) => Number(f.size) < targetSize);
  if (options.where !== undefined) {
    const predicate = bindPredicate(options.where, base.schema, { path: store.root, version: snapshot.version });
    const partitionSet = new Set(snapshot.partitionColumns);
    if (boundColumns(predicate).some((c) => !partitionSet.has(c.path[0] as string))) {
      throw new InvalidInputError("optimize --where may only use partition columns", { path: store.root, version: snapshot.version });
    }
    const plan = planReplaceWhere({ snapshot, predicate, schema: base.schema, columnMapping: columnMappingMode(snapshot.properties) });
    const selected = new Set(plan.remove);
    candidates = candidates.filter((f) => selected.has(f));
  }
  // Group by partition, then bin-pack each group by size.
  const byPartition = new Map<string, AddFile[]>();
  for (const f of candidates) {
    const key = JSON.stringify(Object.entries(f.partitionValues ?? {}).sort());
    byPartition.set(key, [...(byPartition.get(key) ?? []), f]);
  }
  const bins: AddFile[][] = [];
  for (const files of byPartition.values()) {
    let bin: AddFile[] = [];
    let size = 0;
    for (const f of [...files].sort((a, b) => Number(a.size) - Number(b.size))) {
      if (size + Number(f.size) > targetSize && bin.length > 0) {
        bins.push(bin);
        bin = [];
        size = 0;
      }
      bin.push(f);
      size += Number(f.size);
    }
    bins.push(bin);
  }
  const work = bins.filter((b) => b.length > 1 || b.some((f) => f.deletionVector));
  if (work.length === 0) return { version: snapshot.version, filesRemoved: 0, filesAdded: 0, partitionsOptimized: 0 };
  const adds: AddFile[] = [];
  const rewritten = new Set<AddFile>();
  for (const bin of work) {
    const wanted = new Set(bin);
    const plan = { ...base, files: base.files.filter((f) => wanted.has(f.add)) };
    const written = await writeDataFiles({
      store,
      schema: base.schema,
      partitionColumns: snapshot.partitionColumns,
      properties: snapshot.properties,
      data: scanBatches(plan, { store }),
      targetFileSize: targetSize * 4, // Arrow bytes; parquet files come out several times smaller
      ...(options.compression ? { compression: options.compression } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    for (const a of written) adds.push({ ...a, dataChange: false });
    for (const f of bin) rewritten.add(f);
  }
  const txn = new Transaction({
    store,
    snapshot,
    operation: "OPTIMIZE",
    operationParameters: { predicate: JSON.stringify(options.where === undefined ? [] : [options.where]), targetSize: String(targetSize) },
    operationMetrics: { numRemovedFiles: rewritten.size, numAddedFiles: adds.length },
    logStore: options.logStore,
    now: options.now,
  });
  // No read predicate: compaction conflicts only with a concurrent removal of the files it rewrites.
  for (const f of rewritten) txn.removeFile(f, { dataChange: false });
  txn.addFiles(adds);
  const commit = await txn.commit();
  return { version: commit.version, filesRemoved: rewritten.size, filesAdded: adds.length, partitionsOptimized: new Set(work.map((b) => JSON.stringify(b[0]?.partitionValues))).size, commit };
}
