/** Serializer threads (Node): response rows turned into text off the event loop. See ARCHITECTURE.md, "Threading". */
import { Worker } from 'node:worker_threads';
import { StaticEmbedError } from '../../errors.js';
import type { SliceJob } from '../../server/serialize.js';

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (b: Uint8Array) => void; reject: (e: unknown) => void }>;
}

let nextId = 1;

export class SerializerThreads {
  private readonly threads: Thread[] = [];
  private closed = false;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  private spawn(): Thread {
    const t: Thread = {
      worker: new Worker(new URL('./serializer-worker.js', import.meta.url), {
        resourceLimits: { maxOldGenerationSizeMb: 64 },
      }),
      pending: new Map(),
    };
    t.worker.unref();
    t.worker.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = t.pending.get(m.id);
      if (!p) return;
      t.pending.delete(m.id);
      if (m.bytes) p.resolve(m.bytes);
      else p.reject(new StaticEmbedError('INVALID_INPUT', `A serializer thread failed: ${m.error}`));
    });
    const fail = (e: unknown) => {
      // a thread that dies fails its slices and is replaced
      for (const p of t.pending.values()) p.reject(e);
      t.pending.clear();
      const i = this.threads.indexOf(t);
      if (i >= 0 && !this.closed) this.threads[i] = this.spawn();
    };
    t.worker.on('error', fail);
    t.worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`serializer thread exited with code ${code}`));
    });
    return t;
  }

  /** A Serializer (see serialize.ts) on these threads. */
  readonly serialize = (job: SliceJob): Promise<Uint8Array> => {
    let t = this.threads[0]!;
    for (const u of this.threads) if (u.pending.size < t.pending.size) t = u;
    const id = nextId++;
    const rows = job.rows.slice();
    return new Promise((resolve, reject) => {
      t.pending.set(id, { resolve, reject });
      if (t.pending.size === 1) t.worker.ref();
      t.worker.postMessage({ id, job: { ...job, rows } }, [rows.buffer]);
    }).finally(() => {
      if (t.pending.size === 0) t.worker.unref();
    }) as Promise<Uint8Array>;
  };

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
