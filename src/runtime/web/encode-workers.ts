/** Web Workers for a model (browsers), sharing the arena's WebAssembly.Memory. See ARCHITECTURE.md, "Threading". */
import { StaticEmbedError, type ErrorCode } from '../../errors.js';
import { Matrix } from '../../math/matrix.js';
import type { ModelShared } from '../../model/shared.js';
import { modelInternals, type StaticModel, type EncodeWorkers } from '../../model/static-model.js';
import { encodeJob, runChunks, type JobError, type WorkerInit } from '../../model/worker-protocol.js';
import { startWorkers, warnFallback, type WorkerGroup } from './worker-start.js';

export class WebEncodeWorkers implements EncodeWorkers {
  private group: WorkerGroup | undefined;
  private readonly errors = new Map<number, JobError>();
  private shared: ModelShared | undefined;
  private nextJob = 1;

  constructor(
    private readonly model: StaticModel,
    readonly size: number,
  ) {}

  prepare(): void {
    this.start();
  }

  /** The workers, started once: each gets the model's shared state, then jobs. */
  private start(): WorkerGroup {
    if (this.group) return this.group;
    this.shared ??= modelInternals.toShared(this.model);
    const init: WorkerInit = { model: this.shared, errors: null };
    this.group = startWorkers(
      this.size,
      () => new Worker(new URL('./web-worker.js', import.meta.url), { type: 'module' }),
      (data) => {
        const e = (data as { error?: JobError }).error;
        if (e) this.errors.set(e.id, e);
      },
    );
    for (const w of this.group.workers) w.postMessage(init);
    return this.group;
  }

  encodeSync(
    texts: readonly string[],
    outDim: number,
    normalize: boolean,
    into?: Float32Array,
    counts?: Int32Array,
  ): Matrix {
    // the page's thread cannot wait for workers: encode here
    const out = into ?? new Float32Array(texts.length * outDim);
    modelInternals.encodeRange(this.model, texts, 0, texts.length, out, outDim, normalize, counts);
    return new Matrix(texts.length, outDim, out.subarray(0, texts.length * outDim));
  }

  async encodeAsync(
    texts: readonly string[],
    outDim: number,
    normalize: boolean,
    into?: Float32Array,
    counts?: Int32Array,
  ): Promise<Matrix> {
    const group = this.start();
    const failed = await group.started;
    if (failed !== undefined) return this.onCallingThread(failed, texts, outDim, normalize, into, counts);
    const job = encodeJob(this.nextJob++, texts, outDim, normalize, this.size, into, counts);
    for (const w of group.workers) w.postMessage(job);
    const { control } = job;
    for (let done = Atomics.load(control, 1); done < job.chunks; done = Atomics.load(control, 1)) {
      if (group.failure !== undefined)
        return this.onCallingThread(group.failure, texts, outDim, normalize, into, counts);
      if (Atomics.load(control, 2) !== 0) {
        await new Promise((r) => setTimeout(r, 20));
        const e = this.errors.get(job.id);
        throw new StaticEmbedError((e?.code ?? 'INVALID_INPUT') as ErrorCode, e?.message ?? 'A worker failed.');
      }
      const r = Atomics.waitAsync(control, 1, done, 250);
      if (r.async) await r.value;
    }
    if (into && job.out.buffer !== into.buffer) into.set(job.out);
    if (counts && job.counts && job.counts !== counts) counts.set(job.counts.subarray(0, texts.length));
    return new Matrix(texts.length, outDim, into ? into.subarray(0, texts.length * outDim) : job.out);
  }

  /** Workers that cannot start (or died): one console warning, then the job on this thread (the same rows). */
  private onCallingThread(
    why: string,
    texts: readonly string[],
    outDim: number,
    normalize: boolean,
    into?: Float32Array,
    counts?: Int32Array,
  ): Matrix {
    warnFallback('encodeAsync', why);
    const out = new Float32Array(texts.length * outDim);
    const m = this.encodeSync(texts, outDim, normalize, out, counts);
    if (!into) return m;
    into.set(out);
    return new Matrix(texts.length, outDim, into.subarray(0, texts.length * outDim));
  }

  async close(): Promise<void> {
    this.group?.terminate();
    this.group = undefined;
  }
}

/** Shared memory needs a cross-origin isolated page. */
export function webWorkersUsable(): boolean {
  return (
    typeof Worker === 'function' &&
    typeof SharedArrayBuffer === 'function' &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
  );
}

export { runChunks };
