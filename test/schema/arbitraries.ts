/**
 * fast-check generators for the schema tests: Delta data types (nested struct/array/map to a few
 * levels), struct fields with JSON metadata (including 64-bit integers beyond 2^53), and schemas.
 */

import fc from "fast-check";
import type { DataType, PrimitiveType, PrimitiveTypeName, StructField, StructType } from "../../src/core/schema/types.js";

const NAMES: PrimitiveTypeName[] = [
  "string",
  "long",
  "integer",
  "short",
  "byte",
  "float",
  "double",
  "boolean",
  "binary",
  "date",
  "timestamp",
  "timestamp_ntz",
  "void",
  "variant",
];

/** Any primitive type, decimals with valid precision/scale. */
export const arbPrimitive: fc.Arbitrary<PrimitiveType> = fc.oneof(
  fc.constantFrom(...NAMES).map((name): PrimitiveType => ({ kind: "primitive", name })),
  fc
    .integer({ min: 1, max: 38 })
    .chain((precision) => fc.integer({ min: 0, max: precision }).map((scale): PrimitiveType => ({ kind: "primitive", name: "decimal", precision, scale }))),
);

const safeKey = fc.string({ maxLength: 12 }).filter((k) => k !== "__proto__");

/** JSON metadata values as the lossless parser returns them. */
export const arbMetadataValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.oneof(fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }), fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0) && !(Number.isInteger(d) && !Number.isSafeInteger(d))),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(safeKey, tie("value"), { maxKeys: 3 }),
  ),
})).value;

export const arbMetadata: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(safeKey, arbMetadataValue, { maxKeys: 3 });

/** Any data type up to a small depth. */
export const arbDataType: fc.Arbitrary<DataType> = fc.letrec<{ type: DataType; struct: StructType; field: StructField }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    arbPrimitive,
    tie("struct"),
    fc.record({ kind: fc.constant("array" as const), elementType: tie("type"), containsNull: fc.boolean() }),
    fc.record({ kind: fc.constant("map" as const), keyType: tie("type"), valueType: tie("type"), valueContainsNull: fc.boolean() }),
  ),
  struct: fc.record({ kind: fc.constant("struct" as const), fields: fc.array(tie("field"), { maxLength: 4 }) }),
  field: fc.record({ name: fc.string({ maxLength: 10 }), type: tie("type"), nullable: fc.boolean(), metadata: arbMetadata }),
})).type;

/** A top-level schema. */
export const arbStruct: fc.Arbitrary<StructType> = fc
  .array(fc.record({ name: fc.string({ minLength: 1, maxLength: 10 }), type: arbDataType, nullable: fc.boolean(), metadata: arbMetadata }), { minLength: 1, maxLength: 5 })
  .map((fields): StructType => ({ kind: "struct", fields }));
