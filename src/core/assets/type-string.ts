/**
 * Delta data types as short readable strings for materialization metadata: `long`,
 * `decimal(10,2)`, `array<string>`, `map<string,long>`, `struct<a: int, b: string>`.
 */
import type { DataType } from "../schema/types.js";

/** A readable type name. */
export function typeString(type: DataType): string {
  switch (type.kind) {
    case "primitive":
      return type.name === "decimal" && "precision" in type ? `decimal(${type.precision},${type.scale})` : type.name;
    case "array":
      return `array<${typeString(type.elementType)}>`;
    case "map":
      return `map<${typeString(type.keyType)},${typeString(type.valueType)}>`;
    case "struct":
      return `struct<${type.fields.map((f) => `${f.name}: ${typeString(f.type)}`).join(", ")}>`;
  }
}
