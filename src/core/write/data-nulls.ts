/**
 * Nullability check of canonical Arrow Data against its Delta type: a non-nullable column (at any
 * depth: struct fields, array elements with containsNull=false, map keys, map values with
 * valueContainsNull=false) must hold no null where its parent holds a value. A null struct makes its
 * fields absent, not null, so only rows whose parents are valid count; likewise only the elements
 * of valid lists. Failures are InvalidInputErrors naming the column path and the number of nulls.
 */

import type { Data } from "apache-arrow";
import { InvalidInputError } from "../errors.js";
import type { DataType, StructType } from "../schema/types.js";
import { childRange, isValid, validityMask } from "../arrow/data.js";

/** Options of {@link checkNullability}. */
export interface CheckNullabilityOptions {
  /** The column's data, in canonical layout. */
  data: Data;
  /** The column's Delta type. */
  type: DataType;
  /** Whether the column itself may hold nulls. */
  nullable: boolean;
  /** Column path for error messages. */
  column: string;
}

/**
 * Throws InvalidInputError naming the column and the count when a non-nullable column (or nested
 * field, element, key or value) holds nulls.
 */
export function checkNullability(options: CheckNullabilityOptions): void {
  const { data, type, nullable, column } = options;
  if (nullable && !hasRequired(type)) return;
  walk(data, type, nullable, column, undefined);
}

/** Whether any field, element, key or value inside `type` is non-nullable. */
export function hasRequired(type: DataType): boolean {
  switch (type.kind) {
    case "primitive":
      return false;
    case "struct":
      return type.fields.some((f) => !f.nullable || hasRequired(f.type));
    case "array":
      return !type.containsNull || hasRequired(type.elementType);
    case "map":
      return true; // keys are never null
  }
}

function walk(data: Data, type: DataType, nullable: boolean, column: string, parent: Uint8Array | undefined): void {
  if (!nullable) {
    let nulls = 0;
    if (data.nullCount > 0) {
      for (let i = 0; i < data.length; i++) if ((parent === undefined || parent[i] === 1) && !isValid(data, i)) nulls++;
    }
    if (nulls > 0) throw new InvalidInputError(`column ${column} is not nullable but has ${nulls} null value${nulls === 1 ? "" : "s"}`);
  }
  if (type.kind === "primitive" || !hasRequired(type)) return;
  const valid = validityMask(data, parent);
  if (type.kind === "struct") {
    walkStruct(data, type, column, valid);
    return;
  }
  const child = data.children[0];
  if (child === undefined) return;
  const childParent = new Uint8Array(child.length);
  for (let i = 0; i < data.length; i++) {
    if (valid !== undefined && valid[i] !== 1) continue;
    const [s, e] = childRange(data, i);
    childParent.fill(1, s, e);
  }
  if (type.kind === "array") {
    walk(child, type.elementType, type.containsNull, `${column}.element`, childParent);
    return;
  }
  const [key, value] = child.children;
  if (key !== undefined) walk(key, type.keyType, false, `${column}.key`, childParent);
  if (value !== undefined) walk(value, type.valueType, type.valueContainsNull, `${column}.value`, childParent);
}

function walkStruct(data: Data, type: StructType, column: string, valid: Uint8Array | undefined): void {
  type.fields.forEach((f, i) => {
    const child = data.children[i];
    if (child !== undefined && (!f.nullable || hasRequired(f.type))) walk(child, f.type, f.nullable, `${column}.${f.name}`, valid);
  });
}
