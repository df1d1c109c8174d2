/**
 * Reading the rows of one Arrow batch as canonical values (schema/types.ts), column by column
 * and row by row, for the DML operations that evaluate expressions on rows (UPDATE, MERGE).
 * Readers are built once per column per batch.
 */
import type { Data, RecordBatch } from "apache-arrow";
import { valueReader, type Value } from "../arrow/values.js";
import type { StructType } from "../schema/types.js";

/** Reads the top-level columns of one batch as canonical values, by field name. */
export class BatchValues {
  private readonly readers = new Map<string, (i: number) => Value>();

  constructor(
    readonly batch: RecordBatch,
    private readonly schema: StructType,
  ) {}

  /** The value of a (possibly nested) column at a row; null when absent. */
  get(path: readonly string[], row: number): Value {
    let v = this.top(path[0] as string)(row);
    for (let k = 1; k < path.length && v !== null && v !== undefined; k++) v = (v as Record<string, Value>)[path[k] as string];
    return v ?? null;
  }

  /** A reader of one (possibly nested) column, for hot loops. */
  reader(path: readonly string[]): (row: number) => Value {
    if (path.length === 1) {
      const read = this.top(path[0] as string);
      return (row) => read(row) ?? null;
    }
    return (row) => this.get(path, row);
  }

  private top(name: string): (i: number) => Value {
    let read = this.readers.get(name);
    if (!read) {
      const i = this.batch.schema.fields.findIndex((f) => f.name === name);
      const field = this.schema.fields.find((f) => f.name === name);
      read = i < 0 || !field ? () => null : valueReader(this.batch.data.children[i] as Data, field.type);
      this.readers.set(name, read);
    }
    return read;
  }
}

