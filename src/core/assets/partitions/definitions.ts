/**
 * Partition definitions besides time windows: static (a fixed key list), dynamic (keys added and
 * removed at run time) and multi (the cross product of named dimensions, keys joined with "|" in
 * dimension-name order, as dagster writes `2023-01-02|Iris-setosa`). The union of all kinds is
 * {@link PartitionsDefinition}.
 */
import { InvalidInputError } from "../../errors.js";
import type { TimeWindowPartitionsDefinition } from "./time-window.js";

/** A fixed list of keys. */
export interface StaticPartitionsDefinition {
  readonly kind: "static";
  keys(): string[];
  hasKey(key: string): boolean;
}

/** Keys managed at run time (dagster keeps them in its instance; here the definition holds them). */
export interface DynamicPartitionsDefinition {
  readonly kind: "dynamic";
  readonly name: string;
  keys(): string[];
  hasKey(key: string): boolean;
  /** Adds keys (existing ones are kept once, order of first addition). */
  addPartitions(keys: readonly string[]): void;
  /** Removes a key; its data stays in the table but is no longer selected by "all partitions". */
  deletePartition(key: string): void;
}

/** A single-dimension definition (what a multi-partition dimension may be). */
export type DimensionDefinition = StaticPartitionsDefinition | DynamicPartitionsDefinition | TimeWindowPartitionsDefinition;

/** Several named dimensions. */
export interface MultiPartitionsDefinition {
  readonly kind: "multi";
  /** Dimension names, sorted (the order of the parts of a key). */
  readonly dimensionNames: readonly string[];
  dimension(name: string): DimensionDefinition;
  keys(): string[];
  hasKey(key: string): boolean;
  /** `{date: "2023-01-02", species: "Iris-setosa"}` for `2023-01-02|Iris-setosa`. */
  keysByDimension(key: string): Record<string, string>;
  /** The key of one value per dimension. */
  key(byDimension: Readonly<Record<string, string>>): string;
}

/** Any partitions definition. */
export type PartitionsDefinition = DimensionDefinition | MultiPartitionsDefinition;

function checkKey(key: unknown, what: string): string {
  if (typeof key !== "string" || key === "") throw new InvalidInputError(`${what}: partition keys must be non-empty strings, got ${JSON.stringify(key)}`);
  return key;
}

/** A static definition, like dagster's StaticPartitionsDefinition. Keys must be unique. */
export function staticPartitions(keys: readonly string[]): StaticPartitionsDefinition {
  const list = keys.map((k) => checkKey(k, "static partitions"));
  const set = new Set(list);
  if (set.size !== list.length) throw new InvalidInputError(`static partitions: duplicate keys in [${list.join(", ")}]`);
  return { kind: "static", keys: () => [...list], hasKey: (k) => set.has(k) };
}

/** Options of {@link dynamicPartitions}. */
export interface DynamicPartitionsOptions {
  name: string;
  /** Keys present from the start. */
  keys?: readonly string[] | undefined;
}

/** A dynamic definition whose keys are added and removed while the program runs. */
export function dynamicPartitions(options: DynamicPartitionsOptions): DynamicPartitionsDefinition {
  if (typeof options.name !== "string" || options.name === "") throw new InvalidInputError("dynamic partitions need a name");
  const keys = new Set<string>();
  const def: DynamicPartitionsDefinition = {
    kind: "dynamic",
    name: options.name,
    keys: () => [...keys],
    hasKey: (k) => keys.has(k),
    addPartitions(added) {
      for (const k of added) keys.add(checkKey(k, `dynamic partitions "${options.name}"`));
    },
    deletePartition(key) {
      if (!keys.delete(key)) throw new InvalidInputError(`dynamic partitions "${options.name}" have no key "${key}"`);
    },
  };
  def.addPartitions(options.keys ?? []);
  return def;
}

/** A multi-dimensional definition over named single-dimension definitions (at least two). */
export function multiPartitions(dimensions: Readonly<Record<string, DimensionDefinition>>): MultiPartitionsDefinition {
  const names = Object.keys(dimensions).sort();
  if (names.length < 2) throw new InvalidInputError(`multi partitions need at least two dimensions, got [${names.join(", ")}]`);
  for (const n of names) {
    const d = dimensions[n];
    if (n === "" || n.includes("|")) throw new InvalidInputError(`multi partitions: invalid dimension name ${JSON.stringify(n)}`);
    if (d === undefined || !["static", "dynamic", "time"].includes(d.kind)) {
      throw new InvalidInputError(`multi partitions: dimension "${n}" must be a static, dynamic or time-window definition`);
    }
  }
  const dim = (name: string): DimensionDefinition => {
    const d = dimensions[name];
    if (d === undefined) throw new InvalidInputError(`multi partitions have no dimension "${name}" (dimensions: ${names.join(", ")})`);
    return d;
  };
  const split = (key: string): Record<string, string> => {
    const parts = key.split("|");
    if (parts.length !== names.length) {
      throw new InvalidInputError(`"${key}" is not a multi-partition key: expected ${names.length} parts (${names.join("|")}) joined by "|"`);
    }
    return Object.fromEntries(names.map((n, i) => [n, parts[i] as string]));
  };
  return {
    kind: "multi",
    dimensionNames: names,
    dimension: dim,
    keys() {
      let out: string[] = [""];
      names.forEach((n, i) => {
        const ks = dim(n).keys();
        out = out.flatMap((prefix) => ks.map((k) => (i === 0 ? k : `${prefix}|${k}`)));
      });
      return out;
    },
    hasKey(key) {
      const parts = key.split("|");
      return parts.length === names.length && names.every((n, i) => dim(n).hasKey(parts[i] as string));
    },
    keysByDimension: split,
    key(byDimension) {
      for (const k of Object.keys(byDimension)) dim(k);
      return names
        .map((n) => {
          const v = byDimension[n];
          if (v === undefined) throw new InvalidInputError(`multi-partition key is missing dimension "${n}"`);
          if (v.includes("|")) throw new InvalidInputError(`multi-partition key part ${JSON.stringify(v)} contains "|"`);
          return v;
        })
        .join("|");
    },
  };
}

/** Keys of a definition between two keys (inclusive, definition order), like dagster's PartitionKeyRange. */
export function keysInRange(def: PartitionsDefinition, start: string, end: string): string[] {
  const keys = def.keys();
  const i = keys.indexOf(start);
  const j = keys.indexOf(end);
  if (i < 0) throw new InvalidInputError(`range start "${start}" is not a partition key`);
  if (j < 0) throw new InvalidInputError(`range end "${end}" is not a partition key`);
  if (j < i) throw new InvalidInputError(`range end "${end}" comes before its start "${start}"`);
  return keys.slice(i, j + 1);
}
