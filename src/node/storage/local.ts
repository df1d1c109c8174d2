/**
 * LocalStore: an ObjectStore over a directory of the local file system (Node only). Keys map to
 * files under the root ("/" separators, no "." or ".." segments). Reads use a file handle and read
 * only the requested range; `put` writes a temp file in the target directory and renames it over
 * the key; `putIfAbsent` hard-links a fully written temp file to the key, which is atomic across
 * processes (exactly one link succeeds, the rest see EEXIST), falling back to an exclusive create
 * where hard links are unsupported. Listing walks directories in UTF-8 byte order of the keys.
 * Temp files (`.delta-edge-tmp-*`) are never listed or valid keys, except that a writer killed
 * mid-write leaves one behind: `list(..., {includeTemporary: true})` shows those (marked
 * `temporary`) and `delete` accepts their keys, so vacuum can reclaim them.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import type { Stats } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AlreadyExistsError, InvalidInputError, NotFoundError, StorageError } from "../../core/errors.js";
import { compareKeys } from "../../core/storage/memory.js";
import { bodyBytes, resolveRange, type GetOptions, type ListOptions, type ObjectMeta, type ObjectStore, type PutBody } from "../../core/storage/object-store.js";

/** Options of {@link LocalStore}. */
export interface LocalStoreOptions {
  /** The root directory: a path (relative paths resolve against the working directory) or a file:// URL. */
  root: string;
}

/** File names starting with this are in-progress writes: never listed, never valid keys. */
const TEMP_PREFIX = ".delta-edge-tmp-";

/** Error codes of `link` meaning "this file system cannot hard-link", not "the key exists". */
const LINK_UNSUPPORTED = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK"]);

/** An ObjectStore over a local directory. */
export class LocalStore implements ObjectStore {
  readonly root: string;
  readonly writable = true;
  readonly listable = true;
  /** Absolute path of the root directory. */
  readonly directory: string;

  constructor(options: LocalStoreOptions) {
    this.directory = resolve(/^file:/i.test(options.root) ? fileURLToPath(options.root) : options.root);
    this.root = pathToFileURL(this.directory).href.replace(/\/$/, "");
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const path = this.pathOf(key);
    options.signal?.throwIfAborted();
    let handle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      throw this.failure(error, key, "read");
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new NotFoundError("object not found (a directory)", { path: this.where(key) });
      const [start, end] = resolveRange(options.range, info.size);
      const buffer = new Uint8Array(end - start);
      let filled = 0;
      while (filled < buffer.byteLength) {
        options.signal?.throwIfAborted();
        const { bytesRead } = await handle.read(buffer, filled, buffer.byteLength - filled, start + filled);
        if (bytesRead === 0) break; // truncated under us
        filled += bytesRead;
      }
      return filled === buffer.byteLength ? buffer : buffer.slice(0, filled);
    } finally {
      await handle.close();
    }
  }

  async head(key: string): Promise<ObjectMeta> {
    let info: Stats;
    try {
      info = await stat(this.pathOf(key));
    } catch (error) {
      throw this.failure(error, key, "stat");
    }
    if (!info.isFile()) throw new NotFoundError("object not found (a directory)", { path: this.where(key) });
    return meta(key, info);
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectMeta> {
    const slash = prefix.lastIndexOf("/");
    const dirKey = slash < 0 ? "" : prefix.slice(0, slash);
    if (dirKey !== "") this.pathOf(dirKey); // validates
    yield* this.walk(dirKey, prefix, options);
  }

  async put(key: string, body: PutBody): Promise<void> {
    const path = this.pathOf(key);
    const temp = await this.writeTemp(key, path, body);
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw this.failure(error, key, "rename into place");
    }
  }

  async putIfAbsent(key: string, body: PutBody): Promise<void> {
    const path = this.pathOf(key);
    const temp = await this.writeTemp(key, path, body);
    let linkError: unknown;
    try {
      await link(temp, path);
      return;
    } catch (error) {
      if (errno(error) === "EEXIST") throw new AlreadyExistsError("object already exists", { path: this.where(key) });
      if (!LINK_UNSUPPORTED.has(errno(error) ?? "")) throw this.failure(error, key, "link into place");
      linkError = error;
    } finally {
      await rm(temp, { force: true });
    }
    await this.createExclusive(key, path, body, linkError);
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key, true));
    } catch (error) {
      const code = errno(error);
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return;
      throw this.failure(error, key, "delete");
    }
  }

  /**
   * The absolute file path of a key (throws InvalidInputError for keys that could escape the
   * root, and for temp-file names unless `temporary` allows one as the last segment).
   */
  pathOf(key: string, temporary = false): string {
    const segments = key.split("/");
    const bad = segments.find(
      (s, i) => s === "" || s === "." || s === ".." || s.includes("\0") || (s.startsWith(TEMP_PREFIX) && !(temporary && i === segments.length - 1)),
    );
    if (bad !== undefined) {
      throw new InvalidInputError(`invalid object key: segment "${bad}" is not allowed`, { path: this.where(key) });
    }
    return join(this.directory, ...segments);
  }

  /** Fallback for file systems without hard links: O_EXCL create, then write (not crash-atomic). */
  private async createExclusive(key: string, path: string, body: PutBody, linkError: unknown): Promise<void> {
    let handle;
    try {
      handle = await open(path, "wx");
    } catch (error) {
      if (errno(error) === "EEXIST") throw new AlreadyExistsError("object already exists", { path: this.where(key) });
      throw this.failure(error, key, "create exclusively", linkError);
    }
    try {
      await handle.writeFile(bodyBytes(body));
    } finally {
      await handle.close();
    }
  }

  private async writeTemp(key: string, path: string, body: PutBody): Promise<string> {
    const temp = join(dirname(path), `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, bodyBytes(body), { flag: "wx" });
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw this.failure(error, key, "write");
    }
    return temp;
  }

  /** Yields the files under directory `dirKey` whose keys start with `prefix`, in key order. */
  private async *walk(dirKey: string, prefix: string, options: ListOptions): AsyncGenerator<ObjectMeta> {
    options.signal?.throwIfAborted();
    const directory = dirKey === "" ? this.directory : join(this.directory, dirKey);
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      const code = errno(error);
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw this.failure(error, dirKey, "list");
    }
    const { startAfter } = options;
    const candidates = names
      .filter((name) => options.includeTemporary === true || !name.startsWith(TEMP_PREFIX))
      .map((name) => (dirKey === "" ? name : `${dirKey}/${name}`))
      .filter((key) => key.startsWith(prefix) || prefix.startsWith(`${key}/`));
    const infos = await statAll(candidates.map((key) => join(this.directory, key)));
    const items: { key: string; sortKey: string; info: Stats }[] = [];
    candidates.forEach((key, i) => {
      const info = infos[i];
      if (info === undefined) return; // deleted while listing, or a broken link
      if (info.isDirectory()) items.push({ key, sortKey: `${key}/`, info });
      else if (info.isFile() && key.startsWith(prefix)) items.push({ key, sortKey: key, info });
    });
    items.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    for (const { key, sortKey, info } of items) {
      if (sortKey !== key) {
        // A directory: every key below starts with sortKey; skip it when startAfter is past them all.
        if (startAfter !== undefined && compareKeys(startAfter, sortKey) > 0 && !startAfter.startsWith(sortKey)) continue;
        yield* this.walk(key, prefix, options);
      } else if (startAfter === undefined || compareKeys(key, startAfter) > 0) {
        const m = meta(key, info);
        if (key.slice(key.lastIndexOf("/") + 1).startsWith(TEMP_PREFIX)) m.temporary = true;
        yield m;
      }
    }
  }

  private where(key: string): string {
    return `${this.root}/${key}`;
  }

  private failure(error: unknown, key: string, action: string, cause: unknown = error): Error {
    const code = errno(error);
    const reading = action === "read" || action === "stat";
    if (reading && (code === "ENOENT" || code === "ENOTDIR")) return new NotFoundError("object not found", { path: this.where(key), cause: error });
    if (error instanceof StorageError || error instanceof NotFoundError) return error;
    return new StorageError(`cannot ${action}${code ? ` (${code})` : ""}`, { path: this.where(key), cause });
  }
}

function meta(key: string, info: Stats): ObjectMeta {
  return { key, size: info.size, lastModified: Math.floor(info.mtimeMs) };
}

/** Stats many paths with bounded concurrency; undefined where the path vanished. */
async function statAll(paths: string[]): Promise<(Stats | undefined)[]> {
  const out: (Stats | undefined)[] = new Array<Stats | undefined>(paths.length);
  const width = 32;
  for (let i = 0; i < paths.length; i += width) {
    const chunk = paths.slice(i, i + width);
    const results = await Promise.all(chunk.map((p) => stat(p).catch(() => undefined)));
    results.forEach((r, j) => (out[i + j] = r));
  }
  return out;
}

function errno(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
