/**
 * Which upstream partitions an input loads, given the partitions a downstream run writes
 * (dagster's PartitionMappings): identity for equal definitions, time windows by overlap (a daily
 * asset over an hourly one loads its 24 hours), one dimension of a multi-partition against a
 * single definition, every partition for an unpartitioned downstream, or an explicit mapping.
 */
import { InvalidInputError } from "../../errors.js";
import type { DimensionDefinition, MultiPartitionsDefinition, PartitionsDefinition } from "../partitions/definitions.js";
import type { TimeWindowPartitionsDefinition } from "../partitions/time-window.js";

/** How downstream partition keys map to upstream ones. */
export type PartitionMapping =
  | { kind: "identity" }
  | { kind: "all" }
  | { kind: "timeWindow"; startOffset?: number; endOffset?: number }
  | { kind: "multiToSingleDimension"; dimension: string }
  | { kind: "static"; upstreamToDownstream: Readonly<Record<string, string | readonly string[]>> }
  | { kind: "function"; map: (downstreamKeys: readonly string[], downstream: PartitionsDefinition, upstream: PartitionsDefinition) => string[] };

/** Every upstream partition, whatever the downstream writes. */
export const allPartitionsMapping = (): PartitionMapping => ({ kind: "all" });
/** The same keys. */
export const identityMapping = (): PartitionMapping => ({ kind: "identity" });
/** Overlapping windows, widened by `startOffset`/`endOffset` upstream partitions (-1: also the one before). */
export const timeWindowMapping = (o: { startOffset?: number; endOffset?: number } = {}): PartitionMapping => ({ kind: "timeWindow", ...o });
/** One dimension of a multi-partitioned asset against a single-dimension one (either side). */
export const multiToSingleDimensionMapping = (dimension: string): PartitionMapping => ({ kind: "multiToSingleDimension", dimension });
/** Explicit upstream key -> downstream key(s), like dagster's StaticPartitionMapping. */
export const staticMapping = (upstreamToDownstream: Readonly<Record<string, string | readonly string[]>>): PartitionMapping => ({ kind: "static", upstreamToDownstream });

/** Options of {@link upstreamKeys}. */
export interface UpstreamKeysOptions {
  upstream: PartitionsDefinition;
  downstream?: PartitionsDefinition | undefined;
  /** The downstream run's keys (undefined for an unpartitioned downstream). */
  downstreamKeys?: readonly string[] | undefined;
  mapping?: PartitionMapping | undefined;
  /** For messages: "input iris of asset sepal_data". */
  what: string;
}

/** The upstream keys to load, in upstream order. */
export function upstreamKeys(options: UpstreamKeysOptions): string[] {
  const { upstream, downstream, downstreamKeys, mapping, what } = options;
  const ordered = (keys: Iterable<string>): string[] => {
    const set = new Set(keys);
    return upstream.keys().filter((k) => set.has(k));
  };
  if (mapping?.kind === "all" || downstream === undefined || downstreamKeys === undefined) return upstream.keys();
  if (mapping?.kind === "function") {
    const keys = mapping.map(downstreamKeys, downstream, upstream);
    const unknown = keys.filter((k) => !upstream.hasKey(k));
    if (unknown.length > 0) throw new InvalidInputError(`${what}: the partition mapping returned unknown upstream key(s) ${unknown.join(", ")}`);
    return ordered(keys);
  }
  if (mapping?.kind === "static") {
    const wanted = new Set(downstreamKeys);
    const keys = Object.entries(mapping.upstreamToDownstream)
      .filter(([, down]) => (typeof down === "string" ? [down] : down).some((d) => wanted.has(d)))
      .map(([up]) => up);
    return ordered(keys);
  }
  if (mapping?.kind === "multiToSingleDimension") return multiToSingle(upstream, downstream, downstreamKeys, mapping.dimension, what);
  if (mapping?.kind === "timeWindow") return byWindow(asTime(upstream, what), asTime(downstream, what), downstreamKeys, mapping.startOffset ?? 0, mapping.endOffset ?? 0);
  if (mapping?.kind === "identity" || sameDefinition(upstream, downstream)) {
    const missing = downstreamKeys.filter((k) => !upstream.hasKey(k));
    if (missing.length > 0) throw new InvalidInputError(`${what}: upstream has no partition(s) ${missing.join(", ")}`);
    return ordered(downstreamKeys);
  }
  if (upstream.kind === "time" && downstream.kind === "time") return byWindow(upstream, downstream, downstreamKeys, 0, 0);
  const dimension = matchingDimension(upstream, downstream);
  if (dimension !== undefined) return multiToSingle(upstream, downstream, downstreamKeys, dimension, what);
  throw new InvalidInputError(`${what}: cannot map ${downstream.kind} downstream partitions to ${upstream.kind} upstream partitions; give the input a partitionMapping`);
}

function sameDefinition(a: PartitionsDefinition, b: PartitionsDefinition): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.kind === "time" || a.kind === "multi") return false;
  const ka = a.keys();
  const kb = b.keys();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

function asTime(def: PartitionsDefinition, what: string): TimeWindowPartitionsDefinition {
  if (def.kind !== "time") throw new InvalidInputError(`${what}: a time-window mapping needs time-window partitions on both sides`);
  return def;
}

function byWindow(up: TimeWindowPartitionsDefinition, down: TimeWindowPartitionsDefinition, keys: readonly string[], startOffset: number, endOffset: number): string[] {
  const all = up.keys();
  const index = new Map(all.map((k, i) => [k, i]));
  const out = new Set<number>();
  for (const w of down.windowsForKeys(keys)) {
    const hit = up.keysInWindow(w).map((k) => index.get(k) as number);
    if (hit.length === 0) continue;
    const lo = Math.max(0, Math.min(...hit) + startOffset);
    const hi = Math.min(all.length - 1, Math.max(...hit) + endOffset);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b).map((i) => all[i] as string);
}

function equivalent(a: DimensionDefinition, b: PartitionsDefinition): boolean {
  if (a === b) return true;
  if (a.kind === "time" && b.kind === "time") return a.unit === b.unit && a.step === b.step && a.timezone === b.timezone && a.format === b.format;
  return sameDefinition(a, b);
}

/** The dimension of the multi side equivalent to the single side, when exactly one is. */
function matchingDimension(up: PartitionsDefinition, down: PartitionsDefinition): string | undefined {
  const [multi, single] = up.kind === "multi" && down.kind !== "multi" ? [up, down] : down.kind === "multi" && up.kind !== "multi" ? [down, up] : [undefined, undefined];
  if (multi === undefined || single === undefined) return undefined;
  const hits = multi.dimensionNames.filter((d) => equivalent(multi.dimension(d), single));
  return hits.length === 1 ? hits[0] : undefined;
}

function multiToSingle(up: PartitionsDefinition, down: PartitionsDefinition, keys: readonly string[], dimension: string, what: string): string[] {
  if (down.kind === "multi" && up.kind !== "multi") {
    const parts = new Set(keys.map((k) => down.keysByDimension(k)[dimension] as string));
    const dim = down.dimension(dimension);
    if (up.kind === "time" && dim.kind === "time" && !equivalent(dim, up)) {
      return byWindow(up, dim, [...parts], 0, 0);
    }
    return up.keys().filter((k) => parts.has(k));
  }
  if (up.kind === "multi" && down.kind !== "multi") {
    const m: MultiPartitionsDefinition = up;
    const wanted = new Set(keys);
    return m.keys().filter((k) => wanted.has(m.keysByDimension(k)[dimension] as string));
  }
  throw new InvalidInputError(`${what}: a multi-to-single-dimension mapping needs a multi-partitioned asset on exactly one side`);
}
