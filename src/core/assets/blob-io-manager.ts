/**
 * blobIOManager: stores assets that are not tables (plots, models, small JSON documents) as one
 * object each at `<root>/<key path>` (`<root>/<key path>/<partition key>` per partition): JSON
 * (default) or raw bytes. The format is the manager's `format`, or the asset's `format` metadata.
 * The stand-in for dagster's pickle/S3 I/O managers next to the Delta one.
 */
import { InvalidInputError, NotFoundError } from "../errors.js";
import type { ObjectStore } from "../storage/object-store.js";
import { keyString, type AssetKey } from "./asset-key.js";
import type { IOManager, Metadata, PartitionSelection } from "./context.js";
import { checkRoot, locationOf, storeAt, type TableRoot } from "./storage-config.js";

/** How blobs are encoded. */
export type BlobFormat = "json" | "bytes";

/** Options of {@link blobIOManager}. */
export interface BlobIOManagerOptions extends TableRoot {
  /** Default "json". */
  format?: BlobFormat | undefined;
}

/** Metadata of a stored blob. */
export type BlobMaterialization = { uri: string; format: BlobFormat; sizeBytes: number };

/** A blob I/O manager. */
export interface BlobIOManager extends IOManager {
  readonly kind: "blob";
  readonly store: ObjectStore;
}

/** Creates a blob I/O manager (see the module comment). */
export function blobIOManager(options: BlobIOManagerOptions): BlobIOManager {
  checkRoot(options, "blobIOManager");
  const store = storeAt(options, "");
  const formatOf = (md: Metadata, name: string): BlobFormat => {
    const f = md["format"] ?? options.format ?? "json";
    if (f !== "json" && f !== "bytes") throw new InvalidInputError(`asset ${name}: blob format must be "json" or "bytes", got ${JSON.stringify(f)}`);
    return f;
  };
  const keysOf = (assetKey: AssetKey, partitions: PartitionSelection | undefined, name: string): string[] => {
    const base = assetKey.join("/");
    if (partitions === undefined) return [base];
    return partitions.keys.map((k) => {
      if (k === "." || k === ".." || k.includes("\\")) throw new InvalidInputError(`asset ${name}: partition key ${JSON.stringify(k)} cannot be an object name`);
      return `${base}/${k.replaceAll("/", "%2F")}`;
    });
  };
  return {
    kind: "blob",
    store,
    async handleOutput(context, value) {
      const name = keyString(context.assetKey);
      const format = formatOf(context.metadata, name);
      const keys = keysOf(context.assetKey, context.partitions, name);
      if (keys.length !== 1) throw new InvalidInputError(`asset ${name}: a blob output is written one partition at a time, got ${keys.length} partitions`);
      const key = keys[0] as string;
      const body = encode(value, format, name);
      await store.put(key, body);
      const uri = locationOf(options, key);
      context.log?.(`${name}: wrote ${body.byteLength} bytes of ${format} to ${uri}`);
      return { uri, format, sizeBytes: body.byteLength } satisfies BlobMaterialization;
    },
    async loadInput(context) {
      const name = keyString(context.assetKey);
      const format = formatOf(context.upstreamMetadata, name);
      const keys = keysOf(context.assetKey, context.partitions, name);
      const values = await Promise.all(
        keys.map(async (key) => {
          let bytes: Uint8Array;
          try {
            bytes = await store.get(key);
          } catch (err) {
            if (err instanceof NotFoundError) throw new NotFoundError(`asset ${name} has no blob at ${locationOf(options, key)}: materialize it first`, { cause: err });
            throw err;
          }
          return format === "bytes" ? bytes : (JSON.parse(new TextDecoder().decode(bytes)) as unknown);
        }),
      );
      // One partition (or none) -> the value; several -> key -> value.
      if (context.partitions === undefined || values.length === 1) return values[0];
      return Object.fromEntries(context.partitions.keys.map((k, i) => [k, values[i]]));
    },
  };
}

function encode(value: unknown, format: BlobFormat, name: string): Uint8Array {
  if (format === "bytes") {
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (typeof value === "string") return new TextEncoder().encode(value);
    throw new InvalidInputError(`asset ${name}: a "bytes" blob must be a Uint8Array, ArrayBuffer or string`);
  }
  if (value === undefined) throw new InvalidInputError(`asset ${name} returned undefined, which has no JSON form`);
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return new TextEncoder().encode(text);
}
