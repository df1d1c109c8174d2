// Shared test schema: one column of every primitive type plus a struct, an array and a void column.
import type { DataType, PrimitiveTypeName, StructType } from "../../src/core/schema/types.js";
import { columnsOf, type ColumnDef } from "../../src/core/expr/index.js";

/** A primitive type by name. */
export const prim = (name: PrimitiveTypeName): DataType => ({ kind: "primitive", name });

/** decimal(p, s) */
export const decimal = (precision: number, scale: number): DataType => ({ kind: "primitive", name: "decimal", precision, scale });

const field = (name: string, type: DataType) => ({ name, type, nullable: true, metadata: {} });

/** The test schema. */
export const schema: StructType = {
  kind: "struct",
  fields: [
    field("l", prim("long")),
    field("i", prim("integer")),
    field("sh", prim("short")),
    field("b", prim("byte")),
    field("dec", decimal(10, 2)),
    field("f", prim("float")),
    field("d", prim("double")),
    field("str", prim("string")),
    field("bool", prim("boolean")),
    field("bin", prim("binary")),
    field("dt", prim("date")),
    field("ts", prim("timestamp")),
    field("ntz", prim("timestamp_ntz")),
    field("st", { kind: "struct", fields: [field("x", prim("integer")), field("y.z", prim("string"))] }),
    field("arr", { kind: "array", elementType: prim("integer"), containsNull: true }),
    field("v", prim("void")),
    field("Mixed", prim("integer")),
  ],
};

/** The flattened columns of the test schema. */
export const cols: ColumnDef[] = columnsOf(schema);

/** Index of a column path in `cols`. */
export const idx = (...path: string[]): number => cols.findIndex((c) => c.path.join("\u0000") === path.join("\u0000"));
