// Delta schemaString parsing and serialization: unit cases, every schemaString in the conformance
// commits (parse, exact round trip), and a generated-schema round-trip property.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProtocolError, UnsupportedFeatureError } from "../../src/core/errors.js";
import { parsePrimitiveType, parseSchema, serializeSchema } from "../../src/core/schema/schema-json.js";
import type { DataType, StructType } from "../../src/core/schema/types.js";
import { conformanceTables } from "./conformance.js";
import { arbStruct } from "./arbitraries.js";

describe("parseSchema", () => {
  it("parses primitives, decimals with whitespace, nested types and metadata", () => {
    const s = parseSchema(
      JSON.stringify({
        type: "struct",
        fields: [
          { name: "a", type: "decimal( 10 ,  2)", nullable: false, metadata: { comment: "x" } },
          { name: "b", type: { type: "array", elementType: "timestamp_ntz", containsNull: true }, nullable: true, metadata: {} },
          {
            name: "c",
            type: { type: "map", keyType: "string", valueType: { type: "struct", fields: [{ name: "v", type: "variant", nullable: true, metadata: {} }] }, valueContainsNull: false },
            nullable: true,
            metadata: {},
          },
        ],
      }),
    );
    expect(s.fields[0]).toEqual({ name: "a", type: { kind: "primitive", name: "decimal", precision: 10, scale: 2 }, nullable: false, metadata: { comment: "x" } });
    expect(s.fields[1]?.type).toEqual({ kind: "array", elementType: { kind: "primitive", name: "timestamp_ntz" }, containsNull: true });
    const c = s.fields[2]?.type;
    expect(c?.kind === "map" && c.valueType.kind === "struct" && c.valueType.fields[0]?.type).toEqual({ kind: "primitive", name: "variant" });
  });

  it("keeps 64-bit metadata integers exact and writes them back verbatim", () => {
    const text = '{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{"delta.identity.start":-9223372036854775808,"delta.identity.step":1}}]}';
    const s = parseSchema(text);
    expect(s.fields[0]?.metadata["delta.identity.start"]).toBe(-9223372036854775808n);
    expect(serializeSchema(s)).toBe(text);
  });

  it("refuses geo types with UnsupportedFeatureError naming type and column", () => {
    const text = '{"type":"struct","fields":[{"name":"shape","type":"geometry(OGC:CRS84)","nullable":true,"metadata":{}}]}';
    const err = (() => {
      try {
        parseSchema(text);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnsupportedFeatureError);
    expect((err as UnsupportedFeatureError).feature).toBe("geospatial");
    expect((err as Error).message).toMatch(/geometry\(OGC:CRS84\).*shape/);
  });

  it("rejects malformed schemas with ProtocolError", () => {
    expect(() => parseSchema("{not json")).toThrow(ProtocolError);
    expect(() => parseSchema('"long"')).toThrow(ProtocolError);
    expect(() => parseSchema('{"type":"struct","fields":[{"name":"a","type":"decimal(39,2)","nullable":true,"metadata":{}}]}')).toThrow(/column a/);
    expect(() => parseSchema('{"type":"struct","fields":[{"name":"a","type":{"type":"array"},"nullable":true,"metadata":{}}]}')).toThrow(/elementType/);
    expect(() => parsePrimitiveType("interval day to second", "x")).toThrow(UnsupportedFeatureError);
  });

  it("accepts plain decimal and Spark 2's null type", () => {
    expect(parsePrimitiveType("decimal")).toEqual({ kind: "primitive", name: "decimal", precision: 10, scale: 0 });
    expect(parsePrimitiveType("null")).toEqual({ kind: "primitive", name: "void" });
  });

  it("round-trips generated schemas", () => {
    fc.assert(
      fc.property(arbStruct, (schema: StructType) => {
        const text = serializeSchema(schema);
        expect(parseSchema(text)).toEqual(schema);
        expect(serializeSchema(parseSchema(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe("conformance schemaStrings", () => {
  const tables = conformanceTables();
  const schemas = tables.flatMap((t) =>
    t.commits.flatMap((c) =>
      c.actions.filter((a) => typeof a["metaData"]?.schemaString === "string").map((a) => ({ table: t.name, version: c.version, text: a["metaData"].schemaString as string })),
    ),
  );

  it("finds the metaData actions", () => {
    expect(schemas.length).toBeGreaterThan(200);
  });

  it("parses every schemaString (geo types refused) and serializes it back exactly", () => {
    let parsed = 0;
    const refused: string[] = [];
    for (const { table, version, text } of schemas) {
      let schema: StructType;
      try {
        schema = parseSchema(text);
      } catch (e) {
        expect(e, `${table} v${version}`).toBeInstanceOf(UnsupportedFeatureError);
        expect((e as UnsupportedFeatureError).feature).toBe("geospatial");
        refused.push(table);
        continue;
      }
      expect(serializeSchema(schema), `${table} v${version}`).toBe(text);
      parsed++;
    }
    expect(refused).toEqual(["kernel/table-with-geo"]);
    expect(parsed).toBe(schemas.length - 1);
  });

  it("sees every primitive type in the data", () => {
    const names = new Set<string>();
    const visit = (t: DataType): void => {
      if (t.kind === "primitive") names.add(t.name);
      else if (t.kind === "struct") t.fields.forEach((f) => visit(f.type));
      else if (t.kind === "array") visit(t.elementType);
      else {
        visit(t.keyType);
        visit(t.valueType);
      }
    };
    for (const { text } of schemas) {
      try {
        visit(parseSchema(text));
      } catch {
        // geo table
      }
    }
    expect([...names].sort()).toEqual(
      ["binary", "boolean", "byte", "date", "decimal", "double", "float", "integer", "long", "short", "string", "timestamp", "timestamp_ntz", "variant", "void"].sort(),
    );
  });
});
