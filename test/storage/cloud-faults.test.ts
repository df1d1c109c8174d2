/**
 * Tables on S3 (moto_server), Azure (Azurite) and GCS (a fake XML API) written and read through a
 * fault-injecting fetch: 20% of requests fail (500, 503, 429, resets, cut bodies, and lost
 * responses: the service acted, the client saw a reset), decided by a fixed seed. Every write
 * must commit exactly once at the next version, the log must stay contiguous and every read must
 * return the model's rows. And per backend, deterministically: a lost response to a successful
 * conditional commit PUT is recognised as our own commit (one PUT, the version taken once), the
 * read-back path of settle.ts working through the retrying transport.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AzureStore } from "../../src/core/storage/azure.js";
import { GcsStore } from "../../src/core/storage/gcs.js";
import type { ObjectStore } from "../../src/core/storage/object-store.js";
import { S3Store } from "../../src/core/storage/s3.js";
import { readRows } from "../../src/core/scan/read.js";
import { createCheckpoint } from "../../src/core/write/checkpoint-write.js";
import { writeTable, type WriteMode } from "../../src/core/write/write-table.js";
import { FakeGcs } from "../helpers/fake-gcs.js";
import { FaultPlan, faultyFetch, type HttpFault } from "../helpers/faults.js";
import { azuriteAvailability, startAzurite, type AzuriteServer } from "../helpers/servers/azurite.js";
import { MOTO_CREDENTIALS, motoAvailability, startMoto, type MotoServer } from "../helpers/servers/moto.js";
import { RACE_SCHEMA, logKeys } from "../logstore/race.js";

const FAST = { retryInitialBackoffMs: 1, retryMaxBackoffMs: 10 };
const motoReady = motoAvailability();
const azuriteReady = azuriteAvailability();
let moto: MotoServer | undefined;
let azurite: AzuriteServer | undefined;
const gcs = new FakeGcs();

beforeAll(async () => {
  const started: Promise<void>[] = [];
  if (motoReady.available) started.push(startMoto().then(async (m) => void (moto = m, await m.createBucket("faults"))));
  if (azuriteReady.available) {
    started.push(
      startAzurite().then(async (a) => {
        azurite = a;
        await azure("setup").createContainer();
      }),
    );
  }
  await Promise.all(started);
}, 60_000);
afterAll(async () => {
  await Promise.all([moto?.stop(), azurite?.stop()]);
});

function s3(prefix: string, fetchFn?: typeof fetch): S3Store {
  const m = moto as MotoServer;
  return new S3Store({ bucket: "faults", prefix, endpoint: m.endpoint, ...MOTO_CREDENTIALS, client: { allowHttp: true, ...FAST }, ...(fetchFn ? { fetch: fetchFn } : {}) });
}
function azure(prefix: string, fetchFn?: typeof fetch): AzureStore {
  const a = azurite as AzuriteServer;
  return new AzureStore({ container: "faults", prefix, useEmulator: true, endpoint: `${a.blobUrl}/devstoreaccount1`, client: FAST, ...(fetchFn ? { fetch: fetchFn } : {}) });
}
function gs(prefix: string, fetchFn?: typeof fetch): GcsStore {
  return new GcsStore({ bucket: "faults", prefix, accessId: "GOOG1TEST", secret: "s", fetch: fetchFn ?? gcs.fetch, client: FAST });
}

interface Backend {
  name: string;
  available: boolean;
  /** A store on `prefix`, through `fetchFn` (which wraps the backend's real fetch) or directly. */
  store(prefix: string, wrap?: (inner: typeof fetch) => typeof fetch): ObjectStore;
}

const BACKENDS: Backend[] = [
  { name: "S3 (moto_server)", available: motoReady.available, store: (p, wrap) => s3(p, wrap?.(globalThis.fetch)) },
  { name: "Azure (Azurite)", available: azuriteReady.available, store: (p, wrap) => azure(p, wrap?.(globalThis.fetch)) },
  { name: "GCS (fake XML API)", available: true, store: (p, wrap) => gs(p, wrap?.(gcs.fetch)) },
];

const rowsOf = (ids: readonly number[]): { id: number; writer: number }[] => ids.map((id) => ({ id, writer: 0 }));

async function ids(store: ObjectStore): Promise<number[]> {
  const out: number[] = [];
  for await (const row of readRows({ store, columns: ["id"] })) out.push(Number(row.id));
  return out.sort((a, b) => a - b);
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`${backend.name} through a fault-injecting fetch`, () => {
    it("writes, checkpoints and reads a table with 20% of requests failing", async () => {
      const plan = new FaultPlan<HttpFault>({ seed: 7, rate: 0.2, kinds: ["500", "503", "429", "reset", "cut", "lost"] });
      const prefix = "tables/flaky";
      const store = backend.store(prefix, (inner) => faultyFetch({ plan, inner }));
      const clean = backend.store(prefix);
      const steps: [WriteMode, number[]][] = [
        ["error", [0, 1, 2]],
        ["append", [3, 4]],
        ["append", [5]],
        ["overwrite", [10, 11]],
        ["append", [12, 13, 14]],
        ["append", [15]],
      ];
      let model: number[] = [];
      for (const [i, [mode, batch]] of steps.entries()) {
        const result = await writeTable({ store, data: rowsOf(batch), schema: RACE_SCHEMA, mode });
        expect(result.version, `step ${i}`).toBe(i);
        model = mode === "overwrite" ? [...batch] : [...model, ...batch];
        if (i === 3) await createCheckpoint({ store });
        expect(await ids(store), `read after step ${i}`).toEqual(model);
      }
      expect(await ids(clean)).toEqual(model);
      const commits = (await logKeys(clean)).filter((k) => /\d{20}\.json$/.test(k));
      expect(commits).toEqual(steps.map((_, v) => `_delta_log/${String(v).padStart(20, "0")}.json`));
      for (const kind of plan.options.kinds) expect(plan.injected.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }, 60_000);

    it("recognises its own commit when the response to the conditional PUT is lost", async () => {
      const prefix = "tables/lost-commit";
      const clean = backend.store(prefix);
      await writeTable({ store: clean, data: rowsOf([1]), schema: RACE_SCHEMA });
      // Only the create-only PUT of version 1 is affected: it lands, and its answer never arrives.
      const plan = new FaultPlan<HttpFault>({ seed: 1, rate: 1, kinds: ["lost"] });
      let conditionalPuts = 0;
      const store = backend.store(prefix, (inner) =>
        faultyFetch({
          plan,
          inner,
          eligible: (method, url) => {
            const hit = method === "PUT" && url.pathname.endsWith("/_delta_log/00000000000000000001.json") && !url.search.includes("comp=");
            if (hit) conditionalPuts++;
            return hit;
          },
        }),
      );
      const result = await writeTable({ store, data: rowsOf([2]), schema: RACE_SCHEMA, mode: "append" });
      expect(result.version).toBe(1);
      expect(plan.injected.get("lost")).toBe(1);
      expect(conditionalPuts).toBe(1); // never sent again: the read-back found our bytes
      expect((await logKeys(clean)).filter((k) => k.endsWith(".json"))).toEqual(["_delta_log/00000000000000000000.json", "_delta_log/00000000000000000001.json"]);
      expect(await ids(clean)).toEqual([1, 2]);
    });
  });
}
