/**
 * Fault points for the crash tests: with the `INGEST_TEST_FAULTS` var set (tests only, never in
 * wrangler.toml), the object resets itself (`ctx.abort()`, as an eviction or a crash would: memory
 * lost, unconfirmed storage writes dropped) at a named point. Each entry is `point:id`:
 *   after-append:<Idempotency-Key>   rows persisted, before the acknowledgement is sent
 *   before-commit:<flush sequence>   flush fixed and its data files about to be written
 *   after-commit:<flush sequence>    Delta commit done, before the buffer forgets the rows
 * A point is hit on the first pass only in practice: after the reset, the retried request finds
 * its key, and the retried flush finds its txn in the log, so neither reaches the point again.
 */

/** The places a fault can be injected. */
export type FaultPoint = "after-append" | "before-commit" | "after-commit";

/** Parsed fault points of one object. */
export class Faults {
  private readonly points: ReadonlySet<string>;
  private readonly abort: (reason: string) => void;

  constructor(spec: string | undefined, abort: (reason: string) => void) {
    this.points = new Set((spec ?? "").split(",").map((s) => s.trim()).filter((s) => s !== ""));
    this.abort = abort;
  }

  /** Resets the object if `point:id` is configured. */
  hit(point: FaultPoint, id: string | number): void {
    if (this.points.size === 0 || !this.points.has(`${point}:${id}`)) return;
    const reason = `test fault ${point}:${id}`;
    this.abort(reason);
    throw new Error(reason); // abort() throws in workerd; this is for runtimes without it
  }
}
