// Delta <-> Arrow schema conversion: the type table, metadata, field ids, the inverse mapping and
// its refusals, a round-trip property, and conversion of every conformance schema.
import {
  Binary,
  Dictionary,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float16,
  Int32,
  LargeBinary,
  LargeList,
  LargeUtf8,
  Null,
  Schema,
  TimeMicrosecond,
  TimestampNanosecond,
  TimestampSecond,
  Type,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  DateMillisecond,
  Decimal,
} from "apache-arrow";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { arrowSchemaToDelta, arrowTypeToDelta, deltaSchemaToArrow } from "../../src/core/schema/arrow-schema.js";
import { physicalSchema } from "../../src/core/schema/column-mapping.js";
import { parseSchema } from "../../src/core/schema/schema-json.js";
import type { DataType, StructType } from "../../src/core/schema/types.js";
import { arbStruct } from "./arbitraries.js";
import { conformanceTables } from "./conformance.js";

const prim = (name: any, extra: object = {}): DataType => ({ kind: "primitive", name, ...extra }) as DataType;
const schemaOf = (...types: DataType[]): StructType => ({
  kind: "struct",
  fields: types.map((type, i) => ({ name: `c${i}`, type, nullable: i % 2 === 0, metadata: {} })),
});

describe("deltaSchemaToArrow", () => {
  it("maps every primitive to its logical Arrow type", () => {
    const names = ["string", "long", "integer", "short", "byte", "float", "double", "boolean", "binary", "date", "timestamp", "timestamp_ntz", "void"];
    const arrow = deltaSchemaToArrow(schemaOf(...names.map((n) => prim(n)), prim("decimal", { precision: 12, scale: 3 })));
    expect(arrow.fields.map((f) => String(f.type))).toEqual([
      "Utf8",
      "Int64",
      "Int32",
      "Int16",
      "Int8",
      "Float32",
      "Float64",
      "Bool",
      "Binary",
      "Date32<DAY>",
      "Timestamp<MICROSECOND, UTC>",
      "Timestamp<MICROSECOND>",
      "Null",
      "Decimal[12e+3]",
    ]);
    const dec = arrow.fields[13]?.type as Decimal;
    expect([dec.precision, dec.scale, dec.bitWidth]).toEqual([12, 3, 128]);
    expect(arrow.fields.map((f) => f.nullable)).toEqual(names.concat("d").map((_, i) => i % 2 === 0));
  });

  it("builds lists, maps, structs and variant structs", () => {
    const arrow = deltaSchemaToArrow(
      schemaOf(
        { kind: "array", elementType: prim("integer"), containsNull: false },
        { kind: "map", keyType: prim("string"), valueType: prim("double"), valueContainsNull: true },
        { kind: "struct", fields: [{ name: "x", type: prim("date"), nullable: false, metadata: {} }] },
        prim("variant"),
      ),
    );
    const [list, map, struct, variant] = arrow.fields;
    expect(list?.type.typeId).toBe(Type.List);
    expect(list?.type.children[0]?.name).toBe("element");
    expect(list?.type.children[0]?.nullable).toBe(false);
    expect(map?.type.typeId).toBe(Type.Map);
    const entries = map?.type.children[0];
    expect(entries?.name).toBe("entries");
    expect(entries?.type.children.map((f: Field) => [f.name, String(f.type), f.nullable])).toEqual([
      ["key", "Utf8", false],
      ["value", "Float64", true],
    ]);
    expect(struct?.type.children.map((f: Field) => [f.name, f.nullable])).toEqual([["x", false]]);
    expect(variant?.type.children.map((f: Field) => [f.name, String(f.type), f.nullable])).toEqual([
      ["value", "Binary", false],
      ["metadata", "Binary", false],
    ]);
    expect(variant?.metadata.get("ARROW:extension:name")).toBe("arrow.parquet.variant");
  });

  it("carries field metadata as strings and parquet field ids from the physical schema", () => {
    const schema = parseSchema(
      '{"type":"struct","fields":[{"name":"a","type":{"type":"array","elementType":"integer","containsNull":true},"nullable":true,' +
        '"metadata":{"comment":"hi","delta.columnMapping.id":7,"delta.columnMapping.physicalName":"col-a","delta.columnMapping.nested.ids":{"col-a.element":9}}}]}',
    );
    const logical = deltaSchemaToArrow(schema).fields[0];
    expect(Object.fromEntries(logical?.metadata ?? [])).toEqual({
      comment: "hi",
      "delta.columnMapping.id": "7",
      "delta.columnMapping.physicalName": "col-a",
      "delta.columnMapping.nested.ids": '{"col-a.element":9}',
    });
    expect(logical?.metadata.has("PARQUET:field_id")).toBe(false);
    const physical = deltaSchemaToArrow(physicalSchema(schema, "id")).fields[0];
    expect(physical?.name).toBe("col-a");
    expect(physical?.metadata.get("PARQUET:field_id")).toBe("7");
    expect(physical?.type.children[0]?.metadata.get("PARQUET:field_id")).toBe("9");
  });
});

describe("arrowSchemaToDelta", () => {
  const one = (type: any, nullable = true) => arrowSchemaToDelta(new Schema([new Field("col", type, nullable)]), { onWarning: () => {} }).fields[0]?.type;

  it("widens and maps Arrow types Delta can hold", () => {
    expect(one(new LargeUtf8())).toEqual(prim("string"));
    expect(one(new Uint8())).toEqual(prim("short"));
    expect(one(new Uint16())).toEqual(prim("integer"));
    expect(one(new Uint32())).toEqual(prim("long"));
    expect(one(new Float16())).toEqual(prim("float"));
    expect(one(new DateMillisecond())).toEqual(prim("date"));
    expect(one(new TimestampSecond("Europe/Paris"))).toEqual(prim("timestamp"));
    expect(one(new TimestampNanosecond())).toEqual(prim("timestamp_ntz"));
    expect(one(new LargeBinary())).toEqual(prim("binary"));
    expect(one(new FixedSizeBinary(16))).toEqual(prim("binary"));
    expect(one(new LargeList(new Field("item", new Int32(), false)))).toEqual({ kind: "array", elementType: prim("integer"), containsNull: false });
    expect(one(new FixedSizeList(3, new Field("item", new Binary(), true)))).toEqual({ kind: "array", elementType: prim("binary"), containsNull: true });
    expect(one(new Dictionary(new Utf8(), new Int32()))).toEqual(prim("string"));
    expect(one(new Decimal(2, 38, 256))).toEqual(prim("decimal", { precision: 38, scale: 2 }));
  });

  it("warns about Null columns becoming void", () => {
    const warnings: string[] = [];
    const s = arrowSchemaToDelta(new Schema([new Field("nothing", new Null(), true)]), { onWarning: (m) => warnings.push(m) });
    expect(s.fields[0]?.type).toEqual(prim("void"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/nothing.*void/);
  });

  it("refuses types Delta cannot hold, naming the column", () => {
    expect(() => one(new Uint64())).toThrow(InvalidInputError);
    expect(() => one(new Uint64())).toThrow(/column col .*unsigned 64-bit/);
    expect(() => one(new TimeMicrosecond())).toThrow(/column col/);
    expect(() => one(new Decimal(2, 40, 256))).toThrow(/precision/);
    expect(() => arrowTypeToDelta(new Decimal(-1, 10, 128), "d")).toThrow(/column d/);
    const nested = new Schema([new Field("s", new LargeList(new Field("item", new TimeMicrosecond(), true)), true)]);
    expect(() => arrowSchemaToDelta(nested)).toThrow(/column s\.element/);
  });

  it("round-trips Delta -> Arrow -> Delta for generated schemas", () => {
    fc.assert(
      fc.property(arbStruct, (schema) => {
        const back = arrowSchemaToDelta(deltaSchemaToArrow(schema), { onWarning: () => {} });
        expect(stripMetadata(back)).toEqual(stripMetadata(schema));
      }),
      { numRuns: 200 },
    );
  });

  it("round-trips Delta column-mapping and identity metadata through Arrow", () => {
    const text =
      '{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1",' +
      '"delta.identity.start":-9223372036854775808,"delta.identity.allowExplicitInsert":false,"comment":"42"}}]}';
    const schema = parseSchema(text);
    expect(arrowSchemaToDelta(deltaSchemaToArrow(schema))).toEqual(schema);
  });
});

/** Arrow carries metadata as strings; the generic round trip compares types, names and nullability. */
function stripMetadata(s: StructType): unknown {
  const strip = (t: DataType): unknown =>
    t.kind === "struct"
      ? { kind: "struct", fields: t.fields.map((f) => ({ name: f.name, nullable: f.nullable, type: strip(f.type) })) }
      : t.kind === "array"
        ? { ...t, elementType: strip(t.elementType) }
        : t.kind === "map"
          ? { ...t, keyType: strip(t.keyType), valueType: strip(t.valueType) }
          : t;
  return strip(s);
}

describe("conformance schemas to Arrow", () => {
  it("converts every parseable conformance schema, logical and physical", () => {
    let converted = 0;
    for (const table of conformanceTables()) {
      for (const commit of table.commits) {
        for (const action of commit.actions) {
          const text = action["metaData"]?.schemaString;
          if (typeof text !== "string" || text.includes("geometry")) continue;
          const schema = parseSchema(text);
          const arrow = deltaSchemaToArrow(schema);
          expect(arrow.fields.map((f) => f.name)).toEqual(schema.fields.map((f) => f.name));
          const back = arrowSchemaToDelta(arrow, { onWarning: () => {} });
          expect(stripMetadata(back), table.name).toEqual(stripMetadata(schema));
          expect(back, table.name).toEqual(schema);
          converted++;
        }
      }
    }
    expect(converted).toBeGreaterThan(200);
  });
});
