/**
 * Reading DuckDB results in tests: rows of a result (DuckDB's Arrow IPC, decoded with our
 * apache-arrow) in the JSON value encoding of DESIGN.md, typed by the Arrow schema DuckDB gave;
 * and the DuckDB type name of a Delta type as DESCRIBE prints it (written from DuckDB's type
 * names, independent of the attach code).
 */
import type { Table } from "apache-arrow";
import { batchRows, formatRowJson } from "../../src/core/scan/rows.js";
import { arrowSchemaToDelta } from "../../src/core/schema/arrow-schema.js";
import type { DataType } from "../../src/core/schema/types.js";

/** Rows of a DuckDB result in the JSON value encoding, typed by the Arrow schema DuckDB gave. */
export function duckRows(result: Table): unknown[] {
  const fields = arrowSchemaToDelta(result.schema, { onWarning: () => undefined }).fields;
  const out: unknown[] = [];
  for (const batch of result.batches) for (const row of batchRows(batch, fields)) out.push(formatRowJson(row, fields));
  return out;
}

/** The DuckDB type name of a Delta type, as DESCRIBE prints it. */
export function duckType(type: DataType): string {
  switch (type.kind) {
    case "struct":
      return `STRUCT(${type.fields.map((f) => `${duckName(f.name)} ${duckType(f.type)}`).join(", ")})`;
    case "array":
      return `${duckType(type.elementType)}[]`;
    case "map":
      return `MAP(${duckType(type.keyType)}, ${duckType(type.valueType)})`;
    case "primitive":
      switch (type.name) {
        case "decimal":
          return `DECIMAL(${type.precision},${type.scale})`;
        case "timestamp":
          return "TIMESTAMP WITH TIME ZONE";
        case "timestamp_ntz":
          return "TIMESTAMP";
        default:
          return PRIMITIVE[type.name] ?? `unmapped ${type.name}`;
      }
  }
}

const PRIMITIVE: Record<string, string> = {
  byte: "TINYINT",
  short: "SMALLINT",
  integer: "INTEGER",
  long: "BIGINT",
  float: "FLOAT",
  double: "DOUBLE",
  boolean: "BOOLEAN",
  string: "VARCHAR",
  binary: "BLOB",
  date: "DATE",
};

/** A struct field name as DuckDB prints it in a type: quoted unless a plain lower-case identifier. */
function duckName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

