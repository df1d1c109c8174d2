/**
 * Fault points for the crash tests: with the `INGEST_TEST_FAULTS` var set (tests only, never in
 * wrangler.toml), the object resets itself (`ctx.abort()`, as an eviction or a crash would: memory
 * lost, unconfirmed storage writes dropped) at a named point. Each entry is `point:id`:
 *   after-append:<Idempotency-Key>            rows persisted, before the acknowledgement is sent
 *   before-commit:<schema>/<table>#<sequence>  flush fixed, its data files about to be written
 *   after-commit:<schema>/<table>#<sequence>   Delta commit done, before the buffer forgets the rows
 * and one point fails instead of resetting, on every attempt:
 *   bad-data:<schema>/<table>#<sequence>       the write of that flush throws InvalidInputError, as
 *                                              for a row the writer cannot encode
 * Before the reset, a marker is stored and every write so far is made durable (so the crash comes
 * exactly after the step named, and each point fires once per object even though the reset loses
 * memory); the retried request then finds its key, and the retried flush its txn in the log.
 */

import { InvalidInputError } from "../../core/errors.js";

/** The places a fault can be injected. */
export type FaultPoint = "after-append" | "before-commit" | "after-commit";

/** What firing a fault needs from the object. */
export interface FaultHost {
  /** Whether the marker is stored. */
  fired(marker: string): boolean;
  /** Stores the marker. */
  mark(marker: string): void;
  /** Resolves once every write so far is durable. */
  sync(): Promise<void>;
  /** Resets the object. */
  abort(reason: string): void;
}

/** Parsed fault points of one object. */
export class Faults {
  private readonly points: ReadonlySet<string>;
  private readonly host: FaultHost;

  constructor(spec: string | undefined, host: FaultHost) {
    this.points = new Set((spec ?? "").split(",").map((s) => s.trim()).filter((s) => s !== ""));
    this.host = host;
  }

  /** Resets the object if `point:id` is configured and has not fired yet. */
  async hit(point: FaultPoint, id: string | number): Promise<void> {
    const name = `${point}:${id}`;
    if (this.points.size === 0 || !this.points.has(name) || this.host.fired(`fault:${name}`)) return;
    this.host.mark(`fault:${name}`);
    await this.host.sync();
    const reason = `test fault ${name}`;
    this.host.abort(reason);
    throw new Error(reason); // abort() throws in workerd; this is for runtimes without it
  }

  /** Throws InvalidInputError if `bad-data:id` is configured (every time). */
  badData(id: string): void {
    if (this.points.has(`bad-data:${id}`)) throw new InvalidInputError(`test fault bad-data:${id}: a row the writer cannot write`);
  }
}
