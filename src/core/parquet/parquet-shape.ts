/**
 * How a Parquet schema node is to be read, following the format's backward-compatibility rules
 * (parquet-format LogicalTypes.md): LIST groups in their 3-level form and the legacy 2-level forms
 * (repeated primitive, repeated multi-field group, groups named `array` / `<name>_tuple`), MAP and
 * MAP_KEY_VALUE groups (key and value taken by position, whatever their names), plain structs and
 * primitives. A REPEATED node that no LIST/MAP consumes is itself a list of required elements.
 */
import type { SchemaTree } from "hyparquet";

/** The shape of a node's content, after its own repetition is accounted for. */
export type NodeShape =
  | { kind: "primitive" }
  | { kind: "struct" }
  /** LIST: `repeated` is the repeated child; the element is `repeated` itself (2-level) or its child. */
  | { kind: "list"; repeated: SchemaTree; element: SchemaTree; twoLevel: boolean }
  /** MAP: the repeated key_value group and its first two children. */
  | { kind: "map"; repeated: SchemaTree; key: SchemaTree; value: SchemaTree };

/** Whether a node is a leaf (primitive column). */
export function isLeaf(node: SchemaTree): boolean {
  return node.children.length === 0 && node.element.num_children === undefined;
}

function annotation(node: SchemaTree): string | undefined {
  return node.element.logical_type?.type ?? node.element.converted_type;
}

/** Classifies a node's content (its own REPEATED/OPTIONAL wrapper is the caller's concern). */
export function nodeShape(node: SchemaTree): NodeShape {
  if (isLeaf(node)) return { kind: "primitive" };
  const ann = annotation(node);
  const only = node.children.length === 1 ? node.children[0] : undefined;
  if (ann === "LIST" && only !== undefined && only.element.repetition_type === "REPEATED") {
    const twoLevel =
      isLeaf(only) ||
      only.children.length !== 1 ||
      only.element.name === "array" ||
      only.element.name === `${node.element.name}_tuple`;
    const element = twoLevel ? only : only.children[0];
    if (element !== undefined) return { kind: "list", repeated: only, element, twoLevel };
  }
  if ((ann === "MAP" || ann === "MAP_KEY_VALUE") && only !== undefined && only.element.repetition_type === "REPEATED") {
    const [key, value] = only.children;
    if (only.children.length === 2 && key !== undefined && value !== undefined) {
      return { kind: "map", repeated: only, key, value };
    }
  }
  return { kind: "struct" };
}

/** All leaf nodes under a node (the node itself when it is a leaf), in schema order. */
export function leavesOf(node: SchemaTree): SchemaTree[] {
  if (isLeaf(node)) return [node];
  return node.children.flatMap(leavesOf);
}

/** The key used for a leaf column: its path joined with NUL (names may contain dots). */
export function leafKey(path: readonly string[]): string {
  return path.join("\u0000");
}
