// Column mapping: mode from configuration, physical schema (nested renames), path translation,
// field ids, validation; and every name/id-mode schema in the conformance data.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError, ProtocolError, UnsupportedFeatureError } from "../../src/core/errors.js";
import {
  columnMappingMode,
  fieldAtPath,
  fieldIdForPath,
  logicalToPhysicalPath,
  physicalSchema,
  physicalToLogicalPath,
  validateColumnMapping,
} from "../../src/core/schema/column-mapping.js";
import { parseSchema } from "../../src/core/schema/schema-json.js";
import type { DataType, StructField, StructType } from "../../src/core/schema/types.js";
import { arbStruct } from "./arbitraries.js";
import { conformanceTables } from "./conformance.js";

const cm = (id: number, name: string, extra: Record<string, unknown> = {}) => ({ "delta.columnMapping.id": id, "delta.columnMapping.physicalName": name, ...extra });
const field = (name: string, type: DataType, metadata: Record<string, unknown>): StructField => ({ name, type, nullable: true, metadata });
const int: DataType = { kind: "primitive", name: "integer" };

/** a: struct<b: int>, e: array<struct<d: int>>, m: map<string, struct<v: int>> */
const schema: StructType = {
  kind: "struct",
  fields: [
    field("a", { kind: "struct", fields: [field("b", int, cm(2, "col-b"))] }, cm(1, "col-a")),
    field("e", { kind: "array", elementType: { kind: "struct", fields: [field("d", int, cm(5, "col-d"))] }, containsNull: true }, cm(4, "col-e", { "delta.columnMapping.nested.ids": { "col-e.element": 6 } })),
    field("m", { kind: "map", keyType: { kind: "primitive", name: "string" }, valueType: { kind: "struct", fields: [field("v", int, cm(8, "col-v"))] }, valueContainsNull: true }, cm(7, "col-m")),
  ],
};

describe("columnMappingMode", () => {
  it("reads the table property, absent meaning none", () => {
    expect(columnMappingMode(undefined)).toBe("none");
    expect(columnMappingMode({})).toBe("none");
    expect(columnMappingMode({ "delta.columnMapping.mode": "name" })).toBe("name");
    expect(columnMappingMode({ "delta.columnMapping.mode": "ID" })).toBe("id");
    expect(() => columnMappingMode({ "delta.columnMapping.mode": "bogus" })).toThrow(UnsupportedFeatureError);
  });
});

describe("physicalSchema", () => {
  it("renames fields at every depth, including inside arrays and maps", () => {
    const p = physicalSchema(schema, "name");
    expect(collectNames(p)).toEqual(["col-a", "col-a.col-b", "col-e", "col-e.element.col-d", "col-m", "col-m.value.col-v"]);
    expect(p.fields[0]?.metadata["parquet.field.id"]).toBeUndefined();
    expect(physicalSchema(schema, "none")).toBe(schema);
  });

  it("exposes parquet field ids in id mode (or on request)", () => {
    const p = physicalSchema(schema, "id");
    expect(p.fields.map((f) => f.metadata["parquet.field.id"])).toEqual([1, 4, 7]);
    expect(p.fields[1]?.metadata["parquet.field.nested.ids"]).toEqual({ "col-e.element": 6 });
    expect(physicalSchema(schema, "name", { fieldIds: true }).fields[0]?.metadata["parquet.field.id"]).toBe(1);
  });

  it("fails with ProtocolError naming a field without metadata", () => {
    const broken: StructType = { kind: "struct", fields: [field("a", { kind: "struct", fields: [field("x", int, {})] }, cm(1, "col-a"))] };
    expect(() => physicalSchema(broken, "name")).toThrow(ProtocolError);
    expect(() => physicalSchema(broken, "name")).toThrow(/column a\.x/);
    expect(() => validateColumnMapping(broken, "id")).toThrow(/column a\.x .*delta\.columnMapping\.id/);
    expect(() => validateColumnMapping(broken, "none")).not.toThrow();
  });

  it("validation catches duplicate ids", () => {
    const dup: StructType = { kind: "struct", fields: [field("a", int, cm(1, "p1")), field("b", int, cm(1, "p2"))] };
    expect(() => validateColumnMapping(dup, "name")).toThrow(/share column mapping id 1/);
    expect(() => validateColumnMapping(schema, "name")).not.toThrow();
  });
});

describe("paths and field ids", () => {
  it("maps logical paths to physical ones and back", () => {
    expect(logicalToPhysicalPath(schema, ["a", "b"], "name")).toEqual(["col-a", "col-b"]);
    expect(logicalToPhysicalPath(schema, ["e", "element", "d"], "id")).toEqual(["col-e", "element", "col-d"]);
    expect(logicalToPhysicalPath(schema, ["M", "value", "V"], "name")).toEqual(["col-m", "value", "col-v"]);
    expect(physicalToLogicalPath(schema, ["col-m", "value", "col-v"], "name")).toEqual(["m", "value", "v"]);
    expect(logicalToPhysicalPath(schema, ["a", "b"], "none")).toEqual(["a", "b"]);
    expect(() => logicalToPhysicalPath(schema, ["a", "zz"], "name")).toThrow(InvalidInputError);
    expect(() => logicalToPhysicalPath(schema, ["a", "b", "c"], "name")).toThrow(/a\.b\.c/);
    expect(fieldAtPath(schema, ["a", "b"]).type).toEqual(int);
  });

  it("gives parquet field ids, nested ids from delta.columnMapping.nested.ids", () => {
    expect(fieldIdForPath(schema, ["a", "b"])).toBe(2);
    expect(fieldIdForPath(schema, ["e"])).toBe(4);
    expect(fieldIdForPath(schema, ["e", "element"])).toBe(6);
    expect(fieldIdForPath(schema, ["e", "element", "d"])).toBe(5);
    expect(fieldIdForPath(schema, ["m", "key"])).toBeUndefined();
  });
});

/** Every struct-field path (as name arrays), stepping through element/key/value. */
function collectPaths(s: StructType): string[][] {
  const out: string[][] = [];
  const visit = (t: DataType, path: string[]): void => {
    if (t.kind === "struct") {
      for (const f of t.fields) {
        out.push([...path, f.name]);
        visit(f.type, [...path, f.name]);
      }
    } else if (t.kind === "array") visit(t.elementType, [...path, "element"]);
    else if (t.kind === "map") {
      visit(t.keyType, [...path, "key"]);
      visit(t.valueType, [...path, "value"]);
    }
  };
  visit(s, []);
  return out;
}

const collectNames = (s: StructType): string[] => collectPaths(s).map((p) => p.join("."));

/** Pairs of (logical field, physical field) at every depth. */
function pairs(logical: DataType, physical: DataType, out: Array<[StructField, StructField]> = []): Array<[StructField, StructField]> {
  if (logical.kind === "struct" && physical.kind === "struct") {
    logical.fields.forEach((f, i) => {
      const p = physical.fields[i] as StructField;
      out.push([f, p]);
      pairs(f.type, p.type, out);
    });
  } else if (logical.kind === "array" && physical.kind === "array") pairs(logical.elementType, physical.elementType, out);
  else if (logical.kind === "map" && physical.kind === "map") {
    pairs(logical.keyType, physical.keyType, out);
    pairs(logical.valueType, physical.valueType, out);
  }
  return out;
}

/** Gives every field at every depth a unique name among siblings, an id and a physical name. */
function withColumnMapping(s: StructType): StructType {
  let next = 1;
  const mapType = (t: DataType): DataType =>
    t.kind === "struct"
      ? mapStruct(t)
      : t.kind === "array"
        ? { ...t, elementType: mapType(t.elementType) }
        : t.kind === "map"
          ? { ...t, keyType: mapType(t.keyType), valueType: mapType(t.valueType) }
          : t;
  const mapStruct = (st: StructType): StructType => ({
    kind: "struct",
    fields: st.fields.map((f, i) => {
      const id = next++;
      return { name: `${f.name}#${i}`, type: mapType(f.type), nullable: f.nullable, metadata: cm(id, `col-${id}`) };
    }),
  });
  return mapStruct(s);
}

describe("column mapping properties", () => {
  it("physical schemas rename every field and paths map back and forth (property)", () => {
    fc.assert(
      fc.property(arbStruct, fc.constantFrom<"name" | "id">("name", "id"), (generated, mode) => {
        const logical = withColumnMapping(generated);
        validateColumnMapping(logical, mode);
        const physical = physicalSchema(logical, mode);
        for (const [l, p] of pairs(logical, physical)) expect(p.name).toBe(l.metadata["delta.columnMapping.physicalName"]);
        for (const path of collectPaths(logical)) {
          const phys = logicalToPhysicalPath(logical, path, mode);
          expect(collectPaths(physical).map((x) => x.join("\u0000"))).toContain(phys.join("\u0000"));
          expect(physicalToLogicalPath(logical, phys, mode)).toEqual(path);
          expect(fieldIdForPath(logical, path)).toBe(fieldAtPath(logical, path).field?.metadata["delta.columnMapping.id"]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("conformance tables with column mapping", () => {
  it("every name/id-mode schema validates, and its physical schema renames every field", () => {
    const seen = new Set<string>();
    let nestedRenames = 0;
    for (const table of conformanceTables()) {
      for (const commit of table.commits) {
        for (const action of commit.actions) {
          const meta = action["metaData"];
          if (typeof meta?.schemaString !== "string") continue;
          const mode = columnMappingMode(meta.configuration);
          if (mode === "none") continue;
          const logical = parseSchema(meta.schemaString);
          validateColumnMapping(logical, mode);
          const physical = physicalSchema(logical, mode);
          for (const [l, p] of pairs(logical, physical)) {
            expect(p.name, `${table.name} ${l.name}`).toBe(l.metadata["delta.columnMapping.physicalName"]);
          }
          nestedRenames += pairs(logical, physical).length - logical.fields.length;
          for (const path of collectPaths(logical)) {
            const leaf = path.join(".");
            const phys = logicalToPhysicalPath(logical, path, mode);
            expect(physicalToLogicalPath(logical, phys, mode)).toEqual(path);
            if (mode === "id") expect(fieldIdForPath(logical, path), `${table.name} ${leaf}`).toBeTypeOf("number");
          }
          seen.add(table.name);
        }
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
    expect(nestedRenames).toBeGreaterThan(0);
  });
});
