/**
 * The columns a predicate may reference, from a Delta struct schema: every top-level field and,
 * recursively, every field of a struct (as a longer path). Arrays and maps are not descended into:
 * their elements have no single value per row. Struct-typed columns are listed too (for IS NULL).
 *
 * Duplication note: schema/ will likely grow a similar "leaf columns" walker (stats and column
 * mapping need one); merge them when it lands.
 */
import type { StructType } from "../schema/types.js";
import type { ColumnDef } from "./bound.js";

/** The flattened column list of `schema`, depth-first in field order. */
export function columnsOf(schema: StructType): ColumnDef[] {
  const out: ColumnDef[] = [];
  const walk = (struct: StructType, prefix: readonly string[]): void => {
    for (const field of struct.fields) {
      const path = [...prefix, field.name];
      out.push({ path, type: field.type });
      if (field.type.kind === "struct") walk(field.type, path);
    }
  };
  walk(schema, []);
  return out;
}
