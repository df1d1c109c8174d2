/**
 * A bounded async channel of RecordBatches: one producer pushes (waiting while `capacity` batches
 * are queued), one consumer iterates. Lets a DML operation feed its change data files to a second
 * writer running beside the data writer, with bounded memory. Either side can fail the other:
 * `fail(err)` makes the consumer's iteration throw, and a consumer that stops early (its writer
 * failed) makes further pushes throw.
 */
import type { RecordBatch } from "apache-arrow";

/** A single-producer, single-consumer queue of batches with backpressure. */
export class BatchChannel implements AsyncIterable<RecordBatch> {
  private readonly queue: RecordBatch[] = [];
  private closed = false;
  private error: unknown;
  private consumerGone: unknown;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly capacity = 4) {}

  /** Queues a batch, waiting while the queue is full. */
  async push(batch: RecordBatch): Promise<void> {
    while (this.queue.length >= this.capacity && this.consumerGone === undefined) {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    }
    if (this.consumerGone !== undefined) throw this.consumerGone;
    this.queue.push(batch);
    this.wake("consumer");
  }

  /** No more batches: the consumer's iteration ends after the queued ones. */
  close(): void {
    this.closed = true;
    this.wake("consumer");
  }

  /** Ends the consumer's iteration with `error`. */
  fail(error: unknown): void {
    this.error = error;
    this.closed = true;
    this.wake("consumer");
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RecordBatch> {
    try {
      for (;;) {
        if (this.error !== undefined) throw this.error;
        const next = this.queue.shift();
        if (next !== undefined) {
          this.wake("producer");
          yield next;
          continue;
        }
        if (this.closed) return;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      this.consumerGone ??= new Error("the change data writer stopped");
      this.wake("producer");
    }
  }

  private wake(side: "consumer" | "producer"): void {
    const fn = side === "consumer" ? this.wakeConsumer : this.wakeProducer;
    if (side === "consumer") this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    fn?.();
  }
}
