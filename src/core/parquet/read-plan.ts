/**
 * Matches a target Arrow schema against a Parquet schema tree and plans the read: for every
 * target field, which Parquet node feeds it (by `PARQUET:field_id` when the target field has
 * one and the file records field ids, else by exact name, else by a unique case-insensitive
 * name), how that node's repetition wraps its values, how LIST/MAP/struct content maps onto the
 * Arrow type, and the conversion of each leaf. The union of the plans' leaves is exactly the set
 * of column chunks to fetch. Type mismatches are raised here, before any data is read.
 */
import { type DataType, type Field, Type } from "apache-arrow";
import type { ColumnChunk, FileMetaData, SchemaTree } from "hyparquet";
import { schemaTreeOf } from "./hyparquet-metadata.js";
import type { ByteSpan } from "./source.js";
import { PARQUET_FIELD_ID_KEY, type ColumnPath, type ParquetMetadata, type ParquetReadOptions } from "./reader.js";
import { ParquetSchemaMismatchError } from "./errors.js";
import { leafBuilder, type LeafBuilder } from "./leaf-convert.js";
import { leafKey, leavesOf, nodeShape } from "./parquet-shape.js";
import { InvalidInputError } from "../errors.js";

/**
 * How a node's own repetition wraps its values in the decoder's per-leaf output: `optional`
 * nodes are 0-or-1 element arrays (groups) or value-or-null (leaves); `required` nodes are
 * transparent; `element` is a 2-level list element whose repetition the list consumed.
 */
export type Wrapper = "required" | "optional" | "element";

interface Planned {
  type: DataType;
  /** Dot-joined Parquet path, for messages. */
  column: string;
  /** The Parquet node's own (physical) name: how Arrow decoders name its output. */
  name: string;
  /** Leaf keys read under this node (never empty). */
  leaves: string[];
}

/** The read plan of one target field. */
export type ReadPlan =
  | { kind: "missing"; type: DataType; column: string }
  | (Planned & { kind: "leaf"; wrapper: Wrapper; key: string; build: LeafBuilder })
  | (Planned & { kind: "struct"; wrapper: Wrapper; children: ReadPlan[] })
  | (Planned & { kind: "list"; wrapper: Wrapper; element: ReadPlan })
  | (Planned & { kind: "map"; wrapper: Wrapper; key: ReadPlan; value: ReadPlan })
  /** A REPEATED node outside LIST/MAP: a non-null list whose element is the node's content. */
  | (Planned & { kind: "repeated"; element: ReadPlan })
  /** An ancestor struct on an explicit nested column path. */
  | (Planned & { kind: "path"; wrapper: Wrapper; child: ReadPlan });

interface Target {
  name: string;
  type: DataType;
  metadata: Map<string, string>;
}

/** Plans every field of the target schema (`columns[i]` feeds target field i when given). */
export function planRead(
  root: SchemaTree,
  fields: readonly Field[],
  columns: readonly ColumnPath[] | undefined,
  path: string | undefined,
): ReadPlan[] {
  if (columns !== undefined && columns.length !== fields.length) {
    throw new InvalidInputError(`${columns.length} column paths for ${fields.length} target fields`, { path });
  }
  return fields.map((field, i) => {
    const col = columns?.[i];
    if (col === undefined || typeof col === "string") {
      const node = findChild(root, { ...field, name: col ?? field.name, metadata: field.metadata });
      return node === undefined ? missing(field.type, col ?? field.name) : planNode(node, field, path);
    }
    return planPath(root, col, field, path);
  });
}

function planPath(root: SchemaTree, segments: readonly string[], field: Field, path: string | undefined): ReadPlan {
  if (segments.length === 0) throw new InvalidInputError("empty column path", { path });
  let node = root;
  const ancestors: SchemaTree[] = [];
  for (let s = 0; s < segments.length; s++) {
    const last = s === segments.length - 1;
    const name = segments[s]!;
    const child = findChild(node, { name, type: field.type, metadata: last ? field.metadata : new Map() });
    if (child === undefined) return missing(field.type, segments.join("."));
    if (!last) {
      if (child.element.repetition_type === "REPEATED" || nodeShape(child).kind !== "struct") {
        throw new InvalidInputError(`column path ${segments.join(".")} goes through a list or map at ${name}`, { path });
      }
      ancestors.push(child);
    }
    node = child;
  }
  let plan = planNode(node, field, path);
  for (const anc of ancestors.reverse()) {
    if (plan.kind === "missing") break;
    plan = { kind: "path", wrapper: wrapperOf(anc), type: field.type, column: anc.path.join("."), name: anc.element.name, leaves: plan.leaves, child: plan };
  }
  return plan;
}

function missing(type: DataType, column: string): ReadPlan {
  return { kind: "missing", type, column };
}

function wrapperOf(node: SchemaTree): Wrapper {
  return node.element.repetition_type === "REQUIRED" ? "required" : "optional";
}

/** Finds the child of a group feeding a target field. */
export function findChild(node: SchemaTree, target: Target): SchemaTree | undefined {
  const id = target.metadata.get(PARQUET_FIELD_ID_KEY);
  if (id !== undefined && node.children.some((c) => c.element.field_id !== undefined)) {
    const want = Number(id);
    return node.children.find((c) => c.element.field_id === want);
  }
  const exact = node.children.find((c) => c.element.name === target.name);
  if (exact !== undefined) return exact;
  const lower = target.name.toLowerCase();
  const loose = node.children.filter((c) => c.element.name.toLowerCase() === lower);
  return loose.length === 1 ? loose[0] : undefined;
}

function planNode(node: SchemaTree, target: Target, path: string | undefined, consumed = false): ReadPlan {
  const column = node.path.join(".");
  const name = node.element.name;
  const type = target.type;
  const mismatch = (what: string): never => {
    throw new ParquetSchemaMismatchError(column, `a Parquet ${what} cannot be read as ${String(type)}`, { path });
  };
  if (!consumed && node.element.repetition_type === "REPEATED") {
    if (type.typeId !== Type.List) return mismatch("repeated field");
    const element = planNode(node, childTarget(type, 0), path, true);
    if (element.kind === "missing") return missing(type, column);
    return { kind: "repeated", type, column, name, leaves: leavesOrFirst(node, [element]), element };
  }
  const wrapper: Wrapper = consumed ? "element" : wrapperOf(node);
  const shape = nodeShape(node);
  switch (shape.kind) {
    case "primitive": {
      const build = leafBuilder(node.element, type, column, path);
      const key = leafKey(node.path);
      return { kind: "leaf", wrapper, type, column, name, leaves: [key], key, build };
    }
    case "struct": {
      if (type.typeId !== Type.Struct) return mismatch("group");
      const children = type.children.map((f: Field) => {
        const child = findChild(node, f);
        return child === undefined ? missing(f.type, `${column}.${f.name}`) : planNode(child, f, path);
      });
      const leaves = leavesOrFirst(node, children);
      // a group without any leaf has no data at all: read it as all-null
      if (leaves.length === 0) return missing(type, column);
      return { kind: "struct", wrapper, type, column, name, leaves, children };
    }
    case "list": {
      if (type.typeId !== Type.List) return mismatch("LIST");
      const element = planNode(shape.element, childTarget(type, 0), path, shape.twoLevel);
      if (element.kind === "missing") return missing(type, column);
      return { kind: "list", wrapper, type, column, name, leaves: leavesOrFirst(node, [element]), element };
    }
    case "map": {
      if (type.typeId !== Type.Map) return mismatch("MAP");
      const entries = type.children[0]?.type as DataType | undefined;
      if (entries?.typeId !== Type.Struct || entries.children.length !== 2) return mismatch("MAP");
      const key = planNode(shape.key, childTarget(entries, 0), path);
      const value = planNode(shape.value, childTarget(entries, 1), path);
      if (key.kind === "missing") return missing(type, column);
      return { kind: "map", wrapper, type, column, name, leaves: leavesOrFirst(node, [key, value]), key, value };
    }
  }
}

function childTarget(type: DataType, index: number): Target {
  const f = type.children[index] as Field | undefined;
  if (f === undefined) throw new TypeError(`type ${String(type)} has no child ${index}`);
  return f;
}

/** The children's leaves, or the node's first leaf when none is read (for validity). */
function leavesOrFirst(node: SchemaTree, children: ReadPlan[]): string[] {
  const keys = children.flatMap((c) => (c.kind === "missing" ? [] : c.leaves));
  if (keys.length > 0) return keys;
  const first = leavesOf(node)[0];
  return first === undefined ? [] : [leafKey(first.path)];
}

/** The set of leaf keys that a list of plans reads. */
export function leavesToRead(plans: readonly ReadPlan[]): Set<string> {
  const out = new Set<string>();
  for (const p of plans) if (p.kind !== "missing") for (const k of p.leaves) out.add(k);
  return out;
}

/** The plan of one file read: the plan of each target field and the leaf keys (column chunks) they read. */
export interface FileReadPlan {
  fields: ReadPlan[];
  leaves: Set<string>;
}

/** Plans by footer, then target schema, then column paths (object identity). */
const planned = new WeakMap<ParquetMetadata, WeakMap<object, Map<unknown, FileReadPlan>>>();

/**
 * The plan of a read, made once per footer, target schema and column paths: the reader choice,
 * the wasm reader and its JS fallback all read with the same plan.
 */
export function planFileRead(options: Pick<ParquetReadOptions, "metadata" | "targetSchema" | "columns" | "source">): FileReadPlan {
  const { metadata, targetSchema, columns } = options;
  let bySchema = planned.get(metadata);
  if (bySchema === undefined) planned.set(metadata, (bySchema = new WeakMap()));
  let byColumns = bySchema.get(targetSchema);
  if (byColumns === undefined) bySchema.set(targetSchema, (byColumns = new Map()));
  let plan = byColumns.get(columns);
  if (plan === undefined) {
    const fields = planRead(schemaTreeOf(metadata.native), targetSchema.fields, columns, options.source.path);
    plan = { fields, leaves: leavesToRead(fields) };
    byColumns.set(columns, plan);
  }
  return plan;
}

/** The chunks of `leaves` (NUL-joined paths) in row groups `groups`, per group in schema order. */
export function neededChunks(native: FileMetaData, leaves: ReadonlySet<string>, groups: readonly number[]): ColumnChunk[][] {
  return groups.map((g) => (native.row_groups[g]?.columns ?? []).filter((c) => c.meta_data !== undefined && leaves.has(leafKey(c.meta_data.path_in_schema))));
}

/** The byte range of a column chunk (dictionary page, or first data page, to the end). */
export function chunkRange(chunk: ColumnChunk): ByteSpan {
  const m = chunk.meta_data!;
  const start = Number(m.dictionary_page_offset || m.data_page_offset);
  return { start, end: start + Number(m.total_compressed_size) };
}
