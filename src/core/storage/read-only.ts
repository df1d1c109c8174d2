/**
 * ReadOnlyStore: the base of the stores that can only read (HttpStore over static hosting,
 * PresignedS3Store whose signer signs reads only). It owns what "read-only" means for the
 * ObjectStore contract: `writable` is false and `put`, `putIfAbsent` and `delete` throw a
 * READ_ONLY DeltaError naming the key and saying why. Subclasses implement the reads.
 */
import { DeltaError } from "../errors.js";
import type { GetOptions, ListOptions, ObjectMeta, ObjectStore, PutBody } from "./object-store.js";

/** An ObjectStore whose writes all throw READ_ONLY. */
export abstract class ReadOnlyStore implements ObjectStore {
  abstract readonly root: string;
  abstract readonly listable: boolean;
  readonly writable = false;

  /** @param reason The READ_ONLY message: why this store cannot write (and what can). */
  protected constructor(private readonly reason: string) {}

  abstract get(key: string, options?: GetOptions): Promise<Uint8Array>;
  abstract head(key: string): Promise<ObjectMeta>;
  abstract list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta>;

  async put(key: string, _body: PutBody): Promise<void> {
    throw this.readOnly(key);
  }

  async putIfAbsent(key: string, _body: PutBody): Promise<void> {
    throw this.readOnly(key);
  }

  async delete(key: string): Promise<void> {
    throw this.readOnly(key);
  }

  private readOnly(key: string): DeltaError {
    return new DeltaError("READ_ONLY", this.reason, { path: `${this.root}/${key}` });
  }
}
