/**
 * writeTable takes the table as a store or as a URL (with storage options, checked strictly like
 * storeFromUrl's), never both.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { readTable } from "../../src/core/scan/read.js";
import { clearMemoryStores, storeFromUrl } from "../../src/core/storage/url.js";
import { writeTable } from "../../src/core/write/write-table.js";
import "../../src/node/index.js";

describe("writeTable by URL", () => {
  it("writes the table a URL names (string or URL object)", async () => {
    clearMemoryStores();
    await writeTable({ url: "memory://by-url", data: [{ id: 1 }] });
    await writeTable({ url: new URL("memory://by-url"), data: [{ id: 2 }], mode: "append" });
    const table = await readTable({ store: storeFromUrl({ url: "memory://by-url" }) });
    expect(table.getChild("id")?.toArray()).toEqual(new BigInt64Array([1n, 2n]));
  });

  it("refuses a store and a url together, and neither", async () => {
    const store = storeFromUrl({ url: "memory://both" });
    await expect(writeTable({ store, url: "memory://both", data: [{ id: 1 }] })).rejects.toThrow(/store or a url, not both/);
    await expect(writeTable({ data: [{ id: 1 }] })).rejects.toThrow(InvalidInputError);
  });

  it("checks the storage options of a URL", async () => {
    await expect(writeTable({ url: "s3://bucket/opts", storageOptions: { NOT_AN_OPTION: "1" }, data: [{ id: 1 }] })).rejects.toThrow(/NOT_AN_OPTION/);
  });
});
