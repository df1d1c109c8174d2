/**
 * When an ingest object's next flush is due, kept as its storage alarm: right away once the buffer
 * holds `flushRows` rows or `flushBytes` bytes, else `flushDelayMs` after its oldest row; never
 * before the backoff after a failed flush ends (1 s doubling up to `retryMaxMs`). The alarm time
 * is mirrored in memory so that an acknowledgement only touches the alarm when it moves it earlier.
 */
import type { BufferTotals, FlushState } from "./buffer.js";
import { retryDelayMs, type IngestSettings } from "./settings.js";
import type { DurableObjectStorageLike } from "./runtime.js";

/** The flush schedule of one object. */
export class FlushSchedule {
  private readonly storage: DurableObjectStorageLike;
  private readonly settings: () => IngestSettings;
  /** The alarm as set (null: none). */
  alarmAt: number | null = null;
  /** No flush before this time (backoff after failures). */
  retryAt: number | undefined;

  constructor(storage: DurableObjectStorageLike, settings: () => IngestSettings) {
    this.storage = storage;
    this.settings = settings;
  }

  /** Loads the alarm and the backoff a failing flush left in storage (on the object's start). */
  async load(state: FlushState): Promise<void> {
    if (state.failures > 0 && state.error !== undefined) this.retryAt = state.error.at + retryDelayMs(this.settings(), state.failures);
    this.alarmAt = await this.storage.getAlarm();
  }

  /** Records a flush outcome: failures back off, a success clears the backoff. */
  flushed(failures: number): void {
    this.retryAt = failures > 0 ? Date.now() + retryDelayMs(this.settings(), failures) : undefined;
  }

  /** Seconds a client should wait before retrying (at least 1). */
  retryAfterSeconds(): number {
    return Math.ceil(Math.max(1000, (this.retryAt ?? 0) - Date.now()) / 1000);
  }

  /** When the buffer is next due (undefined when it is empty). */
  dueAt(totals: BufferTotals): number | undefined {
    if (totals.pieces === 0) return undefined;
    const s = this.settings();
    const now = Date.now();
    const due = totals.rows >= s.flushRows || totals.bytes >= s.flushBytes ? now : (totals.oldestAt ?? now) + s.flushDelayMs;
    return this.retryAt === undefined ? due : Math.max(due, this.retryAt);
  }

  /** After an append: moves the alarm earlier when the buffer became due sooner. */
  async afterAppend(totals: BufferTotals): Promise<void> {
    const due = this.dueAt(totals);
    if (due !== undefined && (this.alarmAt === null || due < this.alarmAt)) await this.set(due);
  }

  /** Sets the alarm to when the buffer is due (none when empty). */
  async reschedule(totals: BufferTotals): Promise<void> {
    const due = this.dueAt(totals);
    if (due !== undefined && this.alarmAt !== due) await this.set(due);
    if (due === undefined && this.alarmAt !== null) {
      this.alarmAt = null;
      await this.storage.deleteAlarm();
    }
  }

  /** The alarm fired (the runtime cleared it). */
  fired(): void {
    this.alarmAt = null;
  }

  private async set(at: number): Promise<void> {
    this.alarmAt = at;
    await this.storage.setAlarm(at);
  }
}
