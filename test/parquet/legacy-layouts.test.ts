/**
 * Legacy nested layouts that current writers no longer produce (2-level lists of primitives and
 * structs, the `array` / `<name>_tuple` element rules, REPEATED fields outside LIST/MAP, maps
 * annotated MAP_KEY_VALUE with unusual key/value names), written by helpers/legacy_writer.py
 * and compared with pyarrow, which implements the same backward-compatibility rules; plus a
 * DECIMAL stored as variable-length BYTE_ARRAY.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { expectSameColumns } from "./helpers/compare.js";
import { generateFiles, generated, type GeneratedFiles } from "./helpers/generated.js";
import { hasPyarrow, pyarrowColumns } from "../helpers/oracle.js";
import { readRows } from "./helpers/read.js";
import { fileSource } from "./helpers/sources.js";

const LEGACY_WRITER = fileURLToPath(new URL("./helpers/legacy_writer.py", import.meta.url));

describe.skipIf(!hasPyarrow)("legacy nested layouts", () => {
  let gen: GeneratedFiles | undefined;
  beforeAll(() => {
    gen = generateFiles(LEGACY_WRITER);
  });
  afterAll(() => gen?.cleanup());

  it("reads every layout as pyarrow does", async () => {
    const file = generated(gen, "legacy-nested.parquet");
    const { batches } = await readRows(fileSource(file), { batchSize: 3 });
    expectSameColumns(file, batches, pyarrowColumns([file]).get(file));
  });

  it("derives the element types by the backward-compatibility rules", async () => {
    const { metadata } = await readRows(fileSource(generated(gen, "legacy-nested.parquet")));
    const types = Object.fromEntries(metadata.schema.fields.map((f) => [f.name, String(f.type)]));
    expect(types).toEqual({
      id: "Int32",
      two_level: "List<Int32>",
      two_level_struct: "List<Struct<{x:Int32, y:Utf8}>>",
      named_array: "List<Struct<{x:Int32}>>",
      tupled: "List<Struct<{s:Utf8}>>",
      three_level: "List<Int32>",
      bare: "List<Int32>",
      bare_group: "List<Struct<{a:Int32, b:Utf8}>>",
      s: "Struct<{inner:List<Struct<{v:Int32}>>, n:Int32}>",
      legacy_map: "Map<{key:Utf8, value:Int32}>",
      map_of_lists: "Map<{key:Int32, value:List<Int32>}>",
      dec_bytes: expect.stringMatching(/^Decimal/),
    });
    const bare = metadata.schema.fields.find((f) => f.name === "bare")!;
    expect([bare.nullable, bare.type.children[0].nullable]).toEqual([false, false]);
  });
});
