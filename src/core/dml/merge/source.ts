/**
 * The MERGE source: any data the writer accepts (an Arrow Table, one RecordBatch, a stream of
 * them, or row objects), read whole into memory, since every target row may need any source row:
 * MERGE's memory is the source plus its key index (a stated limit, as in Spark's and delta-rs's
 * hash joins). Row objects take the target's types for the columns the target has and inferred
 * types for the others, so a column the rows lack is absent from the source (not a null column).
 */
import type { RecordBatch } from "apache-arrow";
import { InvalidInputError } from "../../errors.js";
import { arrowSchemaToDelta } from "../../schema/arrow-schema.js";
import type { StructType } from "../../schema/types.js";
import { normalizeData, type WriteData } from "../../write/write-input.js";
import { validateDataSchema, type DataConformer } from "../../write/data-validate.js";

/** The source, in memory. */
export class MergeSource {
  /** Row number of the first row of each batch. */
  private readonly starts: number[] = [];
  private readonly conformed = new Map<number, RecordBatch>();
  private conformer: DataConformer | undefined;

  private constructor(
    readonly schema: StructType,
    readonly batches: readonly RecordBatch[],
    readonly rows: number,
  ) {
    let n = 0;
    for (const b of batches) {
      this.starts.push(n);
      n += b.numRows;
    }
  }

  /** Reads the whole source (`target` types row objects). */
  static async load(data: WriteData, target: StructType): Promise<MergeSource> {
    const keys = Array.isArray(data) && (data.length === 0 || !isBatchLike(data[0])) ? new Set((data as Record<string, unknown>[]).flatMap((r) => Object.keys(r))) : undefined;
    const rowSchema: StructType | undefined = keys ? { kind: "struct", fields: target.fields.filter((f) => keys.has(f.name)) } : undefined;
    const input = await normalizeData(data, rowSchema);
    const batches: RecordBatch[] = [];
    let rows = 0;
    for await (const b of input.batches) {
      if (b.numRows === 0) continue;
      batches.push(b);
      rows += b.numRows;
    }
    const schema = input.arrowSchema ? arrowSchemaToDelta(input.arrowSchema) : (rowSchema ?? target);
    return new MergeSource(schema, batches, rows);
  }

  /** The batch and row of a source row number. */
  locate(row: number): { batch: number; row: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= row) lo = mid;
      else hi = mid - 1;
    }
    return { batch: lo, row: row - (this.starts[lo] as number) };
  }

  /** The first row number of a batch. */
  start(batch: number): number {
    return this.starts[batch] as number;
  }

  /**
   * Checks that the source can fill every target column (UPDATE SET * / INSERT *): each target
   * column present (exact name) with a type that converts without loss.
   * @throws InvalidInputError naming the missing column or the type mismatch.
   */
  requireTargetColumns(target: StructType, clause: string): void {
    if (this.conformer) return;
    if (this.batches.length === 0) return;
    let conformer: DataConformer;
    try {
      conformer = validateDataSchema({ arrowSchema: (this.batches[0] as RecordBatch).schema, schema: target, extraColumns: "ignore" });
    } catch (err) {
      if (err instanceof InvalidInputError) throw new InvalidInputError(`${clause}: ${err.message}`, { cause: err });
      throw err;
    }
    if (conformer.missingColumns.length > 0) {
      throw new InvalidInputError(`${clause} needs every target column in the source; the source lacks ${conformer.missingColumns.join(", ")}`);
    }
    this.conformer = conformer;
  }

  /** A source batch as target rows (target columns and types); after requireTargetColumns. */
  asTarget(batch: number): RecordBatch {
    let b = this.conformed.get(batch);
    if (!b) {
      b = (this.conformer as DataConformer).conform(this.batches[batch] as RecordBatch);
      this.conformed.set(batch, b);
    }
    return b;
  }
}

function isBatchLike(x: unknown): boolean {
  return typeof x === "object" && x !== null && "schema" in x && "data" in x;
}
