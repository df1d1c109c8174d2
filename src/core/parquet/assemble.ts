/**
 * Builds Arrow Data for one planned column from the decoder's per-leaf output. hyparquet
 * assembles every leaf column from its repetition/definition levels into nested JS arrays in
 * which each non-required ancestor is one level: an OPTIONAL node is an array of 0 (null) or 1
 * element (a leaf: the value or null), a REPEATED node is an array of its elements, a REQUIRED
 * node is transparent. This module walks those arrays down the read plan, producing validity
 * bitmaps, list/map offsets and struct children in one pass per level.
 */
import type { Data, DataType } from "apache-arrow";
import { makeListData, makeStructData, nullData, type Validity } from "../arrow/builders.js";
import type { ReadPlan } from "./read-plan.js";

/** Per-leaf values, aligned: one item per slot at the current level. */
export type LeafValues = ReadonlyMap<string, ArrayLike<unknown>>;

/** Builds the Data of one planned column of `length` rows. */
export function assembleColumn(plan: ReadPlan, leaves: LeafValues, length: number): Data {
  return build(plan, leaves, length, undefined);
}

function get(leaves: LeafValues, key: string): ArrayLike<unknown> {
  const values = leaves.get(key);
  if (values === undefined) throw new Error(`internal: leaf ${key.replaceAll("\u0000", ".")} was not decoded`);
  return values;
}

function build(plan: ReadPlan, leaves: LeafValues, n: number, parentValid: Validity): Data {
  switch (plan.kind) {
    case "missing":
      return nullData(plan.type, n);
    case "leaf": {
      const values = get(leaves, plan.key);
      const valid = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        valid[i] = (parentValid === undefined || parentValid[i]) && values[i] != null ? 1 : 0;
      }
      return plan.build(values, valid, n);
    }
    case "repeated":
      return buildList(plan.type, plan.element, undefined, leaves, plan.leaves, n, parentValid);
    default:
      break;
  }
  const { valid, inner } = unwrap(plan.wrapper, plan.leaves, leaves, n, parentValid);
  switch (plan.kind) {
    case "struct": {
      const children = plan.children.map((child) => build(child, inner, n, valid));
      return makeStructData(plan.type, n, valid, children);
    }
    case "list":
      return buildList(plan.type, plan.element, undefined, inner, plan.leaves, n, valid);
    case "map":
      return buildList(plan.type, plan.key, plan.value, inner, plan.leaves, n, valid);
    case "path":
      return build(plan.child, inner, n, valid);
  }
}

/** Applies an OPTIONAL group's 0-or-1 wrapper: validity from the first leaf, then unwrap all. */
function unwrap(
  wrapper: string,
  keys: readonly string[],
  leaves: LeafValues,
  n: number,
  parentValid: Validity,
): { valid: Validity; inner: LeafValues } {
  if (wrapper !== "optional") return { valid: parentValid, inner: leaves };
  const probe = get(leaves, keys[0]!);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const item = probe[i];
    valid[i] = (parentValid === undefined || parentValid[i]) && Array.isArray(item) && item.length > 0 ? 1 : 0;
  }
  const inner = new Map<string, ArrayLike<unknown>>();
  for (const key of keys) {
    const values = get(leaves, key);
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = valid[i] ? (values[i] as unknown[])[0] : null;
    inner.set(key, out);
  }
  return { valid, inner };
}

/**
 * Builds a list (or, with `value`, a map) whose per-slot items are arrays of element items:
 * offsets from the first leaf's array lengths, then every leaf flattened one level.
 */
function buildList(
  type: DataType,
  element: ReadPlan,
  value: ReadPlan | undefined,
  leaves: LeafValues,
  keys: readonly string[],
  n: number,
  valid: Validity,
): Data {
  const probe = get(leaves, keys[0]!);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const item = probe[i];
    const len = (valid === undefined || valid[i]) && Array.isArray(item) ? item.length : 0;
    offsets[i + 1] = offsets[i]! + len;
  }
  const total = offsets[n]!;
  const flat = new Map<string, ArrayLike<unknown>>();
  for (const key of keys) {
    const values = get(leaves, key);
    const out = new Array<unknown>(total);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const len = offsets[i + 1]! - offsets[i]!;
      if (len === 0) continue;
      const item = values[i] as unknown[];
      for (let j = 0; j < len; j++) out[at++] = item[j];
    }
    flat.set(key, out);
  }
  if (value === undefined) {
    return makeListData(type, n, valid, offsets, build(element, flat, total, undefined));
  }
  const entriesType = type.children[0]!.type as DataType;
  const entries = makeStructData(entriesType, total, undefined, [
    build(element, flat, total, undefined),
    build(value, flat, total, undefined),
  ]);
  return makeListData(type, n, valid, offsets, entries);
}
