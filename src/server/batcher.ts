/**
 * Micro-batching: texts of concurrent requests to one model embedded together in one encode call.
 * See ARCHITECTURE.md, "Server defences".
 */
import { StaticEmbedError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';

/** Embeds texts: rows (un-normalized, full width) and each text's token count. */
export type EncodeFn = (texts: string[]) => Promise<{ rows: Matrix; tokens: Int32Array }>;

export interface Embedded {
  /** the request's rows, `dim` floats each, in request order */
  rows: Float32Array;
  dim: number;
  tokens: number;
}

interface Pending {
  texts: string[];
  resolve: (e: Embedded) => void;
  reject: (e: unknown) => void;
}

/** A macrotask boundary: lets pending I/O run (setImmediate where it exists, else a zero timeout). */
function yieldToEventLoop(): Promise<void> {
  // eslint-disable-next-line no-restricted-globals -- feature-detected (Node, Bun); elsewhere a zero timeout
  return new Promise((r) => (typeof setImmediate === 'function' ? setImmediate(r) : setTimeout(r, 0)));
}

export class MicroBatcher {
  private readonly queue: Pending[] = [];
  private queued = 0;
  private running = 0;

  /** `maxQueued`: texts allowed to wait; beyond it requests are refused (OVERLOADED) instead of piling up in memory. */
  constructor(
    private readonly encode: EncodeFn,
    private readonly maxBatch: number,
    private readonly maxQueued = 65_536,
    private readonly concurrency = 2,
  ) {}

  /** Texts waiting for a batch. */
  get depth(): number {
    return this.queued;
  }

  embed(texts: string[]): Promise<Embedded> {
    if (this.queued > 0 && this.queued + texts.length > this.maxQueued) {
      return Promise.reject(
        new StaticEmbedError(
          'OVERLOADED',
          `The server is overloaded: ${this.queued} texts are waiting (limit ${this.maxQueued}, --max-queue); retry shortly.`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ texts, resolve, reject });
      this.queued += texts.length;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const batch: Pending[] = [];
      let n = 0;
      while (this.queue.length > 0 && (batch.length === 0 || n + this.queue[0]!.texts.length <= this.maxBatch)) {
        const p = this.queue.shift()!;
        batch.push(p);
        n += p.texts.length;
      }
      this.queued -= n;
      this.running++;
      void this.run(batch);
    }
  }

  /** The encode slot is released as soon as the rows are ready: the next batch encodes while these are written. */
  private release(): void {
    this.running--;
    this.pump();
  }

  private async run(batch: Pending[]): Promise<void> {
    let released = false;
    try {
      const all = batch.length === 1 ? batch[0]!.texts : batch.flatMap((p) => p.texts);
      const { rows, tokens } = await this.encode(all);
      released = true;
      this.release();
      let at = 0,
        sinceYield = 0;
      for (let b = 0; b < batch.length; b++) {
        const p = batch[b]!,
          k = p.texts.length;
        let t = 0;
        for (let i = at; i < at + k; i++) t += tokens[i]!;
        p.resolve({ rows: rows.data.slice(at * rows.cols, (at + k) * rows.cols), dim: rows.cols, tokens: t });
        at += k;
        // responses are serialized about 16 texts' worth per turn of the event loop, so a large batch does not
        // hold up other connections (e.g. /health) for the whole batch
        sinceYield += k;
        if (sinceYield >= 16 && b + 1 < batch.length) {
          sinceYield = 0;
          await yieldToEventLoop();
        }
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      if (!released) this.release();
    }
  }
}
