/**
 * Worker threads for a model (Node): encoding on shared memory, chunks claimed through a counter.
 * See ARCHITECTURE.md, "Threading".
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { workerThreads } from './builtins.js';
import { StaticEmbedError, type ErrorCode } from '../../errors.js';
import { Matrix } from '../../math/matrix.js';
import type { ModelShared } from '../../model/shared.js';
import { modelInternals, type StaticModel, type EncodeWorkers } from '../../model/static-model.js';
import { encodeJob, runChunks, type EncodeJob, type JobError, type WorkerInit } from '../../model/worker-protocol.js';

export class NodeEncodeWorkers implements EncodeWorkers {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly pending = new Map<number, JobError>();
  private shared: ModelShared | undefined;
  private closed = false;
  private nextJob = 1;

  /** `size`: threads of encodeSync (the caller + size − 1 workers) and workers of encodeAsync. */
  constructor(
    private readonly model: StaticModel,
    readonly size: number,
  ) {}

  private spawn(n: number): void {
    if (this.closed) throw new StaticEmbedError('INVALID_ARGUMENT', "This model's worker threads were closed.");
    this.shared ??= modelInternals.toShared(this.model);
    while (this.workers.length < n) {
      const { MessageChannel, Worker } = workerThreads();
      const ch = new MessageChannel();
      ch.port1.on('message', (e: JobError) => this.pending.set(e.id, e));
      ch.port1.unref(); // after on('message'), which refs the port
      this.ports.push(ch.port1);
      const init: WorkerInit = { model: this.shared, errors: ch.port2 };
      const w = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: init,
        transferList: [ch.port2],
        resourceLimits: { maxYoungGenerationSizeMb: 1 },
      });
      w.unref();
      w.on('error', (e) => {
        // a worker that dies is replaced at the next batch; its chunk is reported as failed
        const i = this.workers.indexOf(w);
        if (i >= 0) this.workers.splice(i, 1);
        this.lastCrash = e;
      });
      this.workers.push(w);
    }
  }

  private lastCrash: Error | undefined;
  private inFlight = 0;

  private fail(job: EncodeJob): never {
    for (const p of this.ports) {
      for (let m = workerThreads().receiveMessageOnPort(p); m; m = workerThreads().receiveMessageOnPort(p))
        this.pending.set((m.message as JobError).id, m.message as JobError);
    }
    const e = this.pending.get(job.id);
    this.pending.delete(job.id);
    const code = (e?.code ?? 'INVALID_INPUT') as ErrorCode;
    throw new StaticEmbedError(
      code,
      e?.message ?? `A worker thread failed${this.lastCrash ? `: ${this.lastCrash.message}` : ''}.`,
    );
  }

  /** Starts the worker threads now (they take a moment to load), so the first batch finds them ready. */
  prepare(forAsync: boolean): void {
    this.spawn(forAsync ? this.size : this.size - 1);
  }

  encodeSync(
    texts: readonly string[],
    outDim: number,
    normalize: boolean,
    into?: Float32Array,
    counts?: Int32Array,
  ): Matrix {
    this.spawn(this.size - 1);
    const job = encodeJob(this.nextJob++, texts, outDim, normalize, this.size, into, counts);
    for (const w of this.workers) w.postMessage(job);
    const err = runChunks(job, (t, s, e, out, d, n, c) =>
      modelInternals.encodeRange(this.model, t, s, e, out, d, n, c),
    );
    if (err) throw err;
    const { control } = job;
    for (let done = Atomics.load(control, 1); done < job.chunks; done = Atomics.load(control, 1)) {
      if (Atomics.load(control, 2) !== 0) this.fail(job);
      if (this.workers.length === 0) this.runRest(job);
      Atomics.wait(control, 1, done, 200);
    }
    return this.result(job, into, counts);
  }

  private result(job: EncodeJob, into: Float32Array | undefined, counts: Int32Array | undefined): Matrix {
    const n = job.texts.length * job.outDim;
    if (counts && job.counts && job.counts !== counts) counts.set(job.counts.subarray(0, job.texts.length));
    if (into && job.out.buffer !== into.buffer) into.set(job.out);
    return new Matrix(job.texts.length, job.outDim, into ? into.subarray(0, n) : job.out);
  }

  /** No live worker: the caller finishes the chunks itself (chunks claimed by a dead worker are redone). */
  private runRest(job: EncodeJob): void {
    Atomics.store(job.control, 0, 0);
    Atomics.store(job.control, 1, 0);
    const err = runChunks(job, (t, s, e, out, d, n, c) =>
      modelInternals.encodeRange(this.model, t, s, e, out, d, n, c),
    );
    if (err) throw err;
  }

  async encodeAsync(
    texts: readonly string[],
    outDim: number,
    normalize: boolean,
    into?: Float32Array,
    counts?: Int32Array,
  ): Promise<Matrix> {
    this.spawn(this.size);
    const job = encodeJob(this.nextJob++, texts, outDim, normalize, this.size, into, counts);
    // Atomics.waitAsync does not keep the event loop alive: the workers do, while a job is in flight
    this.inFlight++;
    for (const w of this.workers) {
      w.ref();
      w.postMessage(job);
    }
    try {
      const { control } = job;
      for (let done = Atomics.load(control, 1); done < job.chunks; done = Atomics.load(control, 1)) {
        if (Atomics.load(control, 2) !== 0) {
          await new Promise((r) => setTimeout(r, 5));
          this.fail(job);
        }
        if (this.workers.length === 0) this.runRest(job);
        const r = Atomics.waitAsync(control, 1, done, 1000);
        if (r.async) await r.value;
      }
      return this.result(job, into, counts);
    } finally {
      if (--this.inFlight === 0) for (const w of this.workers) w.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = this.workers.splice(0);
    for (const p of this.ports.splice(0)) p.close();
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
