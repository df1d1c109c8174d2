/**
 * The asset layer against the in-memory store (a fresh MemoryStore per test, handed to the I/O
 * manager as `store`).
 */
import "../../src/node/index.js"; // registers parquet-wasm's .wasm for Node
import { MemoryStore } from "../../src/core/storage/memory.js";
import { partitionSuite } from "./partitions.suite.js";
import { basicsSuite } from "./basics.suite.js";

let n = 0;
partitionSuite("memory", async () => ({ store: new MemoryStore({ name: `assets-${++n}` }) }));
basicsSuite(
  "memory",
  async () => ({ store: new MemoryStore({ name: `assets-${++n}` }) }),
  async () => new MemoryStore({ name: `assets-${++n}` }),
);
