/**
 * Changing table properties (Spark's `ALTER TABLE ... SET/UNSET TBLPROPERTIES`): one commit with
 * the new metaData and, when a property turns on a feature the protocol lacks, the upgraded
 * protocol, as Spark does (e.g. `delta.enableDeletionVectors=true` on a (1,2) table gives reader 3
 * / writer 7 with `deletionVectors` and the features the legacy versions implied). Properties that
 * need more than a metadata change (column mapping mode, row tracking) are refused; features
 * delta-edge cannot honour are refused by the commit's writer gate.
 */
import { InvalidInputError } from "../errors.js";
import type { Metadata } from "../log/actions.js";
import type { LogStore } from "../logstore/log-store.js";
import type { ObjectStore } from "../storage/object-store.js";
import { loadSnapshot } from "../table/snapshot-load.js";
import type { Snapshot } from "../table/snapshot.js";
import { unionProtocol } from "./protocol-upgrade.js";
import { chooseProtocol } from "./table-create.js";
import { Transaction, type CommitResult } from "./transaction.js";

/** Options of {@link setTableProperties}. */
export interface SetTablePropertiesOptions {
  store: ObjectStore;
  /** Properties to set (string values, as in metaData.configuration). */
  properties?: Readonly<Record<string, string>> | undefined;
  /** Properties to remove. */
  unset?: readonly string[] | undefined;
  /** The snapshot to change (default: the latest). */
  snapshot?: Snapshot | undefined;
  logStore?: LogStore | undefined;
  maxAttempts?: number | undefined;
  now?: (() => number) | undefined;
}

/** What {@link setTableProperties} did. */
export interface SetTablePropertiesResult {
  /** "unchanged" when the properties already had these values (nothing committed). */
  status: "committed" | "unchanged";
  version: number;
  /** Whether the protocol was upgraded. */
  protocolUpgraded: boolean;
  commit?: CommitResult | undefined;
}

/** Properties that cannot be changed by a metadata-only commit. */
const NOT_SETTABLE = ["delta.columnMapping.mode", "delta.columnMapping.maxColumnId", "delta.enableRowTracking", "delta.rowTracking.materializedRowIdColumnName"];

/**
 * Sets and unsets table properties in one commit, upgrading the protocol when needed.
 * @throws InvalidInputError for a non-string value or a property that needs more than metadata.
 */
export async function setTableProperties(options: SetTablePropertiesOptions): Promise<SetTablePropertiesResult> {
  const { store } = options;
  const snapshot = options.snapshot ?? (await loadSnapshot({ store }));
  const context = { path: store.root, version: snapshot.version };
  const current = snapshot.properties;
  const configuration: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(options.properties ?? {})) {
    if (typeof v !== "string") throw new InvalidInputError(`property ${k} must be a string, got ${typeof v}`, context);
    configuration[k] = v;
  }
  for (const k of options.unset ?? []) delete configuration[k];
  for (const k of NOT_SETTABLE) {
    if (configuration[k] !== current[k]) throw new InvalidInputError(`property ${k} cannot be changed by delta-edge (it needs more than a metadata change)`, context);
  }
  const same = Object.keys(configuration).length === Object.keys(current).length && Object.entries(configuration).every(([k, v]) => current[k] === v);
  if (same) return { status: "unchanged", version: snapshot.version, protocolUpgraded: false };
  const metadata: Metadata = { ...snapshot.metadata, configuration };
  const protocol = unionProtocol(snapshot.protocol, chooseProtocol({ metadata }));
  const upgraded = protocol !== snapshot.protocol;
  const txn = new Transaction({
    store,
    snapshot,
    logStore: options.logStore,
    maxAttempts: options.maxAttempts,
    now: options.now,
    ...(Object.keys(options.properties ?? {}).length > 0
      ? { operation: "SET TBLPROPERTIES", operationParameters: { properties: options.properties } }
      : { operation: "UNSET TBLPROPERTIES", operationParameters: { propKeys: options.unset ?? [] } }),
  });
  txn.setMetadata(metadata);
  if (upgraded) txn.setProtocol(protocol);
  const commit = await txn.commit();
  return { status: "committed", version: commit.version, protocolUpgraded: upgraded, commit };
}
