/**
 * materialize(): runs the selected assets in dependency order, as dagster's `materialize` does.
 * Each input is loaded through the upstream asset's I/O manager (so column and partition
 * selection apply even when the upstream ran in the same call), the compute function runs, and
 * the output is stored through the asset's I/O manager, whose metadata is the materialization's.
 * A partitioned asset needs `partitionKey` (one partition) or `partitionKeyRange` (a backfill
 * written in one run, e.g. three days as one [start, end) replacement).
 */
import { InvalidInputError } from "../../errors.js";
import { keyString, sameKey, assetKey, type AssetKey, type AssetKeyLike } from "../asset-key.js";
import type { IOManager, PartitionSelection } from "../context.js";
import { keysInRange, type PartitionsDefinition } from "../partitions/definitions.js";
import type { TimeWindow } from "../partitions/time-window.js";
import type { AssetDefinition, AssetExecutionContext } from "./asset.js";
import { upstreamKeys } from "./partition-mapping.js";

/** Options of {@link materialize}. */
export interface MaterializeOptions {
  /** Every asset the run knows: the ones to run and the ones they load. */
  assets: readonly AssetDefinition[];
  /** I/O managers and other resources by key. */
  resources?: Readonly<Record<string, unknown>> | undefined;
  /** Keys to run (default: every asset with a compute function); the others are only loaded. */
  selection?: readonly AssetKeyLike[] | undefined;
  partitionKey?: string | undefined;
  /** Inclusive range of keys, written by one run of each partitioned asset. */
  partitionKeyRange?: { start: string; end: string } | undefined;
  log?: ((line: string) => void) | undefined;
}

/** One stored output. */
export interface Materialization {
  assetKey: AssetKey;
  partitionKeys: readonly string[];
  metadata: Record<string, unknown> | undefined;
}

/** What a run did. */
export interface MaterializeResult {
  materializations: Materialization[];
  /** The materialization of one asset. */
  get(key: AssetKeyLike): Materialization | undefined;
}

/** Runs assets (see the module comment); the first failure is thrown. */
export async function materialize(options: MaterializeOptions): Promise<MaterializeResult> {
  const byKey = new Map<string, AssetDefinition>();
  for (const a of options.assets) {
    const k = keyString(a.key);
    if (byKey.has(k)) throw new InvalidInputError(`asset ${k} is defined twice`);
    byKey.set(k, a);
  }
  const resources = options.resources ?? {};
  const log = options.log ?? (() => {});
  const selected = options.selection
    ? options.selection.map((s) => {
        const k = keyString(assetKey(s));
        const a = byKey.get(k);
        if (a === undefined) throw new InvalidInputError(`selection names unknown asset ${k}`);
        if (a.compute === undefined) throw new InvalidInputError(`selection names source asset ${k}, which cannot be materialized`);
        return a;
      })
    : options.assets.filter((a) => a.compute !== undefined);
  const ordered = topologicalOrder(selected, byKey);
  const materializations: Materialization[] = [];

  for (const def of ordered) {
    const name = keyString(def.key);
    const keys = runKeys(def, options, name);
    const inputs: Record<string, unknown> = {};
    for (const [inputName, input] of Object.entries(def.ins)) {
      const what = `input ${inputName} of asset ${name}`;
      const upstream = byKey.get(keyString(input.key));
      if (upstream === undefined) throw new InvalidInputError(`${what}: unknown asset ${keyString(input.key)} (add it, or a sourceAsset for it, to assets)`);
      let partitions: PartitionSelection | undefined;
      if (upstream.partitionsDef !== undefined) {
        const upKeys = upstreamKeys({ upstream: upstream.partitionsDef, downstream: def.partitionsDef, downstreamKeys: keys, mapping: input.partitionMapping, what });
        if (upKeys.length === 0) throw new InvalidInputError(`${what}: no partitions of ${keyString(upstream.key)} to load`);
        partitions = { def: upstream.partitionsDef, keys: upKeys };
      }
      inputs[inputName] = await ioManager(resources, upstream.ioManagerKey, keyString(upstream.key)).loadInput({
        assetKey: upstream.key,
        metadata: input.metadata,
        upstreamMetadata: upstream.metadata,
        partitions,
        loadAs: input.loadAs,
        log,
      });
    }
    const partitions = def.partitionsDef && keys ? { def: def.partitionsDef, keys } : undefined;
    const context: AssetExecutionContext = {
      assetKey: def.key,
      partitionKey: keys?.length === 1 ? keys[0] : undefined,
      partitionKeys: keys ?? [],
      partitionTimeWindow: partitions ? timeWindowOf(partitions.def, partitions.keys) : undefined,
      keysByDimension: partitions?.def.kind === "multi" && keys?.length === 1 ? partitions.def.keysByDimension(keys[0] as string) : undefined,
      resources,
      metadata: def.metadata,
      log,
    };
    const value = await (def.compute as NonNullable<AssetDefinition["compute"]>)(context, inputs);
    const metadata = await ioManager(resources, def.ioManagerKey, name).handleOutput({ assetKey: def.key, metadata: def.metadata, partitions, log }, value);
    materializations.push({ assetKey: def.key, partitionKeys: keys ?? [], metadata });
  }
  return {
    materializations,
    get: (key) => {
      const k = assetKey(key);
      return materializations.find((m) => sameKey(m.assetKey, k));
    },
  };
}

/** The partition keys a run writes for one asset (undefined: unpartitioned). */
function runKeys(def: AssetDefinition, options: MaterializeOptions, name: string): string[] | undefined {
  const pd = def.partitionsDef;
  if (pd === undefined) return undefined;
  if (options.partitionKey !== undefined && options.partitionKeyRange !== undefined) throw new InvalidInputError("give partitionKey or partitionKeyRange, not both");
  if (options.partitionKey !== undefined) {
    if (!pd.hasKey(options.partitionKey)) throw new InvalidInputError(`asset ${name}: "${options.partitionKey}" is not one of its partition keys`);
    return [options.partitionKey];
  }
  if (options.partitionKeyRange !== undefined) return keysInRange(pd, options.partitionKeyRange.start, options.partitionKeyRange.end);
  throw new InvalidInputError(`asset ${name} is partitioned: pass partitionKey (or partitionKeyRange) to materialize it`);
}

/** The window spanned by the keys of a time-window definition (or of a multi-partition's time dimension). */
function timeWindowOf(def: PartitionsDefinition, keys: readonly string[]): TimeWindow | undefined {
  if (def.kind === "multi") {
    const dim = def.dimensionNames.find((d) => def.dimension(d).kind === "time");
    return dim === undefined ? undefined : timeWindowOf(def.dimension(dim), keys.map((k) => def.keysByDimension(k)[dim] as string));
  }
  if (def.kind !== "time") return undefined;
  const windows = def.windowsForKeys(keys);
  const first = windows[0];
  const last = windows[windows.length - 1];
  return first && last ? { start: first.start, end: last.end } : undefined;
}

function ioManager(resources: Readonly<Record<string, unknown>>, key: string, name: string): IOManager {
  const r = resources[key] as Partial<IOManager> | undefined;
  if (r === undefined) throw new InvalidInputError(`asset ${name} uses I/O manager "${key}", but resources has no such key (keys: ${Object.keys(resources).join(", ") || "none"})`);
  if (typeof r.handleOutput !== "function" || typeof r.loadInput !== "function") throw new InvalidInputError(`resource "${key}" (I/O manager of asset ${name}) has no handleOutput/loadInput`);
  return r as IOManager;
}

/** The selected assets, each after the selected assets it loads. */
function topologicalOrder(selected: readonly AssetDefinition[], byKey: ReadonlyMap<string, AssetDefinition>): AssetDefinition[] {
  const inSelection = new Set(selected.map((a) => keyString(a.key)));
  const state = new Map<string, "visiting" | "done">();
  const out: AssetDefinition[] = [];
  const visit = (a: AssetDefinition, path: string[]): void => {
    const k = keyString(a.key);
    if (state.get(k) === "done") return;
    if (state.get(k) === "visiting") throw new InvalidInputError(`assets depend on each other in a cycle: ${[...path, k].join(" -> ")}`);
    state.set(k, "visiting");
    for (const input of Object.values(a.ins)) {
      const up = keyString(input.key);
      const dep = byKey.get(up);
      if (dep !== undefined && inSelection.has(up)) visit(dep, [...path, k]);
    }
    state.set(k, "done");
    out.push(a);
  };
  for (const a of selected) visit(a, []);
  return out;
}
