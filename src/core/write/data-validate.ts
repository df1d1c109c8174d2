/**
 * Validation of incoming Arrow data against a Delta schema, and conversion ("conform") of each
 * batch to the canonical Arrow layout of that schema (deltaSchemaToArrow, logical names), which is
 * what stats, partition splitting and the parquet writer expect. Reusable by the transaction layer
 * and schema evolution: build a conformer once per Arrow schema, then conform every batch.
 *
 * Rules: columns match by exact (case-sensitive) name at every struct level; a Delta column absent
 * from the data is filled with nulls when nullable and an InvalidInputError otherwise; an Arrow
 * column absent from the Delta schema is an InvalidInputError naming it (or dropped with
 * `extraColumns: "ignore"`). Types must be equal or castable (data-cast.ts: widening casts by type,
 * narrowing ones value by value): otherwise an InvalidInputError names the column and both types,
 * or the column, the row and the value that does not fit. Dictionary columns are decoded, Arrow Null
 * columns become all-null columns of the Delta type, `void` columns accept only nulls. Nullability
 * is checked per batch on the values (data-nulls.ts), not on the Arrow field flags.
 */

import { Data, DataType as ArrowType, Null, RecordBatch, Struct, type Field, type Schema } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import { nullData, packValidity } from "../arrow/builders.js";
import { deltaSchemaToArrow, deltaTypeToArrow } from "../schema/arrow-schema.js";
import { dataTypeText } from "../schema/schema-json.js";
import type { DataType, StructType } from "../schema/types.js";
import { leafCast, type Cast } from "./data-cast.js";
import { checkNullability } from "./data-nulls.js";
import { takeRows } from "../arrow/take.js";
import { isValid } from "../arrow/data.js";

/** Options of {@link validateDataSchema}. */
export interface ValidateDataSchemaOptions {
  /** Schema of the incoming Arrow data. */
  arrowSchema: Schema;
  /** The Delta schema (logical names) the data must fit. */
  schema: StructType;
  /** What to do with Arrow columns the Delta schema lacks: "error" (default) or "ignore" (drop). */
  extraColumns?: "error" | "ignore";
}

/** Converts batches of one Arrow schema to the canonical layout of a Delta schema. */
export interface DataConformer {
  /** The Delta schema the batches are conformed to. */
  readonly schema: StructType;
  /** Arrow schema of conformed batches: deltaSchemaToArrow(schema). */
  readonly arrowSchema: Schema;
  /** Delta columns (dotted paths) absent from the data, filled with nulls. */
  readonly missingColumns: readonly string[];
  /** Arrow columns (dotted paths) dropped because the Delta schema lacks them. */
  readonly ignoredColumns: readonly string[];
  /**
   * Casts, fills and checks one batch.
   * @throws InvalidInputError for nulls in a non-nullable column or a value that cannot be cast.
   */
  conform(batch: RecordBatch): RecordBatch;
}

interface Context {
  extra: "error" | "ignore";
  missing: string[];
  ignored: string[];
}

/**
 * Checks an Arrow schema against a Delta schema and returns the conformer of its batches.
 * @throws InvalidInputError naming the column: a missing non-nullable column, an extra column, a
 *   type that cannot be cast without loss, duplicate column names.
 */
export function validateDataSchema(options: ValidateDataSchemaOptions): DataConformer {
  const { schema } = options;
  const ctx: Context = { extra: options.extraColumns ?? "error", missing: [], ignored: [] };
  const columns = structPlan(options.arrowSchema.fields, schema, "", ctx);
  const arrowSchema = deltaSchemaToArrow(schema);
  const structType = new Struct(arrowSchema.fields);
  return {
    schema,
    arrowSchema,
    missingColumns: ctx.missing,
    ignoredColumns: ctx.ignored,
    conform(batch: RecordBatch): RecordBatch {
      const n = batch.numRows;
      const children = columns(batch.data.children, n);
      schema.fields.forEach((f, i) => checkNullability({ data: children[i] as Data, type: f.type, nullable: f.nullable, column: f.name }));
      return new RecordBatch(arrowSchema, new Data(structType, 0, n, 0, [undefined, undefined, undefined, undefined] as never, children));
    },
  };
}

type ChildrenCast = (children: readonly Data[], length: number) => Data[];

function structPlan(sourceFields: readonly Field[], target: StructType, parent: string, ctx: Context): ChildrenCast {
  const path = (name: string) => (parent === "" ? name : `${parent}.${name}`);
  const byName = new Map<string, number>();
  sourceFields.forEach((f, i) => {
    if (byName.has(f.name)) throw new InvalidInputError(`the input data has more than one column named ${path(f.name)}`);
    byName.set(f.name, i);
  });
  const targetNames = new Set(target.fields.map((f) => f.name));
  const extra = sourceFields.filter((f) => !targetNames.has(f.name)).map((f) => path(f.name));
  if (extra.length > 0) {
    if (ctx.extra === "error") {
      throw new InvalidInputError(`the input data has column${extra.length === 1 ? "" : "s"} ${extra.join(", ")} not in the table schema`);
    }
    ctx.ignored.push(...extra);
  }
  const plans = target.fields.map((f) => {
    const column = path(f.name);
    const index = byName.get(f.name);
    const canonical = deltaTypeToArrow(f.type);
    if (index === undefined) {
      if (!f.nullable) throw new InvalidInputError(`column ${column} is not nullable but the input data lacks it`);
      ctx.missing.push(column);
      return (_children: readonly Data[], length: number) => nullData(canonical, length);
    }
    const cast = castFor((sourceFields[index] as Field).type, f.type, column, ctx);
    return (children: readonly Data[]) => cast(children[index] as Data);
  });
  return (children, length) => plans.map((p) => p(children, length));
}

const VARIANT_STRUCT: StructType = {
  kind: "struct",
  fields: [
    { name: "value", type: { kind: "primitive", name: "binary" }, nullable: false, metadata: {} },
    { name: "metadata", type: { kind: "primitive", name: "binary" }, nullable: false, metadata: {} },
  ],
};

function castFor(source: ArrowType, target: DataType, column: string, ctx: Context): Cast {
  const canonical = deltaTypeToArrow(target);
  const mismatch = (): never => {
    throw new InvalidInputError(
      `column ${column} has Arrow type ${String(source)}, which cannot be written to Delta type ${dataTypeText(target)} without loss`,
    );
  };
  if (ArrowType.isDictionary(source)) {
    const inner = castFor(source.dictionary, target, column, ctx);
    return (d) => decodeDictionary(d, inner, canonical, column);
  }
  if (ArrowType.isNull(source)) return (d) => (target.kind === "primitive" && target.name === "void" ? new Data(new Null(), 0, d.length, d.length) : nullData(canonical, d.length));
  if (target.kind === "primitive" && target.name === "void") {
    return (d) => {
      if (d.nullCount !== d.length) throw new InvalidInputError(`column ${column} has type void, which holds only nulls, but the input data has values in it`);
      return new Data(new Null(), 0, d.length, d.length);
    };
  }
  if (target.kind === "primitive" && target.name === "variant") {
    if (!ArrowType.isStruct(source)) return mismatch();
    const inner = castFor(source, VARIANT_STRUCT, column, ctx);
    return (d) => {
      const s = inner(d);
      return new Data(canonical, s.offset, s.length, s.nullCount, [undefined, undefined, s.nullBitmap, undefined] as never, s.children);
    };
  }
  if (target.kind === "primitive") return leafCast(source, target, column) ?? mismatch();
  if (target.kind === "struct") {
    if (!ArrowType.isStruct(source)) return mismatch();
    const children = structPlan(source.children, target, column, ctx);
    return (d) => new Data(canonical, d.offset, d.length, d.nullCount, [undefined, undefined, d.nullBitmap, undefined] as never, children(d.children, d.length));
  }
  if (target.kind === "array") {
    if (!(ArrowType.isList(source) || ArrowType.isLargeList(source) || ArrowType.isFixedSizeList(source))) return mismatch();
    const element = castFor((source.children[0] as Field).type, target.elementType, `${column}.element`, ctx);
    return (d) => listLike(d, canonical, [element], column);
  }
  if (!ArrowType.isMap(source)) return mismatch();
  const [key, value] = (source.children[0] as Field).type.children as Field[];
  if (key === undefined || value === undefined) return mismatch();
  const keyCast = castFor(key.type, target.keyType, `${column}.key`, ctx);
  const valueCast = castFor(value.type, target.valueType, `${column}.value`, ctx);
  return (d) => listLike(d, canonical, [keyCast, valueCast], column);
}

/** List / LargeList / FixedSizeList / Map data with 32-bit offsets and cast children. */
function listLike(d: Data, canonical: ArrowType, casts: Cast[], column: string): Data {
  const child = d.children[0] as Data;
  let offsets: Int32Array;
  if (ArrowType.isFixedSizeList(d.type)) {
    const size = d.type.listSize;
    offsets = new Int32Array(d.length + 1);
    for (let i = 0; i <= d.length; i++) offsets[i] = i * size;
  } else if (d.valueOffsets instanceof BigInt64Array) {
    const big = d.valueOffsets.subarray(0, d.length + 1);
    if (d.length > 0 && (big[d.length] as bigint) > 0x7fffffffn) throw new InvalidInputError(`column ${column}: more than 2^31 list elements in one batch`);
    offsets = Int32Array.from(big, Number);
  } else {
    offsets = d.valueOffsets as Int32Array;
  }
  let newChild: Data;
  if (casts.length === 1) {
    newChild = (casts[0] as Cast)(child);
  } else {
    const entriesType = (canonical.children[0] as Field).type;
    const [k, v] = child.children as Data[];
    newChild = new Data(entriesType, child.offset, child.length, child.nullCount, [undefined, undefined, child.nullBitmap, undefined] as never, [
      (casts[0] as Cast)(k as Data),
      (casts[1] as Cast)(v as Data),
    ]);
  }
  return new Data(canonical, d.offset, d.length, d.nullCount, [offsets, undefined, d.nullBitmap, undefined] as never, [newChild]);
}

function decodeDictionary(d: Data, inner: Cast, canonical: ArrowType, column: string): Data {
  const chunks = d.dictionary?.data ?? [];
  if (chunks.length > 1) throw new InvalidInputError(`column ${column}: dictionaries split into several chunks (dictionary deltas) are not supported; decode the column first`);
  const dict = chunks[0] === undefined ? undefined : inner(chunks[0]);
  if (dict === undefined || dict.length === 0) return nullData(canonical, d.length);
  const keys = d.values as ArrayLike<number | bigint>;
  const n = d.length;
  const idx = new Int32Array(n);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!isValid(d, i)) continue;
    const k = Number(keys[i]);
    if (!(k >= 0 && k < dict.length)) throw new InvalidInputError(`column ${column}: dictionary index ${k} at row ${i} is out of range`);
    idx[i] = k;
    valid[i] = isValid(dict, k) ? 1 : 0;
  }
  const taken = takeRows(dict, idx);
  const { bitmap, nullCount } = packValidity(valid, n);
  return new Data(taken.type, 0, n, nullCount, [taken.valueOffsets, taken.values, bitmap, undefined] as never, taken.children);
}
