/** The loss's matrix products and row softmax on several threads (Node). See ARCHITECTURE.md, "Threading". */
import { Worker } from 'node:worker_threads';
import { GemmWorkspace, trainModule } from '../../kernels/gemm.js';
import { softmaxRows, type SoftmaxArgs } from '../../kernels/softmax-rows.js';

/** Below this many multiply-adds a product runs on the calling thread only. */
const MIN_PARALLEL = 1 << 18;

export interface GemmJob {
  type: 'gemm';
  gen: number;
  x: number;
  y: number;
  nx: number;
  ny: number;
  k: number;
  out: number;
}

/** A slice of softmaxRows: views are rebuilt in the worker from byte offsets into the shared memory. */
export interface SoftmaxJob {
  type: 'softmax';
  gen: number;
  i0: number;
  i1: number;
  B: number;
  C: number;
  Cp: number;
  weight: number;
  scale: number;
  /** byte offsets: R, M (float32, B × Cp); na, alpha (float64, B); invP, beta, cos, e (float64, C); loss (one float64) */
  R: number;
  M: number;
  na: number;
  alpha: number;
  invP: number;
  beta: number;
  cos: number;
  e: number;
  loss: number;
}

export type ThreadJob = GemmJob | SoftmaxJob;

export class ThreadedGemmWorkspace extends GemmWorkspace {
  private readonly workers: Worker[] = [];
  private readonly done: Int32Array;
  private gen = 0;
  /** set when a worker thread dies: its slices then run on the calling thread */
  private broken = false;

  constructor(threads: number) {
    super('auto');
    this.done = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads)));
    if (!this.fn || !this.memory) return;
    for (let w = 0; w < threads - 1; w++) {
      const worker = new Worker(new URL('./gemm-worker.js', import.meta.url), {
        workerData: { memory: this.memory, module: trainModule(), done: this.done, index: w },
        resourceLimits: { maxYoungGenerationSizeMb: 1 },
      });
      worker.on('error', () => {
        this.broken = true;
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  override get threads(): number {
    return this.workers.length + 1;
  }

  override close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }

  override gemmNT(x: Float32Array, y: Float32Array, nx: number, ny: number, k: number, out: Float32Array): void {
    const n = this.workers.length + 1;
    if (n === 1 || this.broken || !this.fn || nx * ny * k < MIN_PARALLEL || nx < 8) {
      super.gemmNT(x, y, nx, ny, k, out);
      return;
    }
    const gen = ++this.gen;
    const per = Math.ceil(nx / n / 4) * 4;
    const slices: Array<[number, number]> = [];
    for (let s = 0; s < nx; s += per) slices.push([s, Math.min(nx, s + per)]);
    const busy: number[] = [];
    slices.slice(1).forEach(([s, e], w) => {
      const job: GemmJob = {
        type: 'gemm',
        gen,
        x: x.byteOffset + s * k * 4,
        y: y.byteOffset,
        nx: e - s,
        ny,
        k,
        out: out.byteOffset + s * ny * 4,
      };
      this.workers[w]!.postMessage(job);
      busy.push(w);
    });
    const [s0, e0] = slices[0]!;
    this.fn(x.byteOffset + s0 * k * 4, y.byteOffset, e0 - s0, ny, k, out.byteOffset + s0 * ny * 4);
    this.wait(gen, busy, (w) => {
      const [s, e] = slices[w + 1]!;
      this.fn!(x.byteOffset + s * k * 4, y.byteOffset, e - s, ny, k, out.byteOffset + s * ny * 4);
    });
  }

  override softmax(a: Omit<SoftmaxArgs, 'cos' | 'e'>): number {
    const n = this.workers.length + 1;
    if (n === 1 || this.broken || !this.memory || a.B * a.C < MIN_PARALLEL / 16) return super.softmax(a);
    const gen = ++this.gen;
    const per = Math.ceil(a.B / n);
    const busy: number[] = [],
      parts: Array<{
        i0: number;
        i1: number;
        beta: Float64Array;
        cos: Float64Array;
        e: Float64Array;
        loss: Float64Array;
      }> = [];
    for (let w = 0; w + 1 < n && (w + 1) * per < a.B; w++) {
      const i0 = (w + 1) * per,
        i1 = Math.min(a.B, i0 + per);
      const p = {
        i0,
        i1,
        beta: this.f64(`beta${w}`, a.C),
        cos: this.f64(`cos${w}`, a.C),
        e: this.f64(`e${w}`, a.C),
        loss: this.f64(`loss${w}`, 1),
      };
      parts.push(p);
      const job: SoftmaxJob = {
        type: 'softmax',
        gen,
        i0,
        i1,
        B: a.B,
        C: a.C,
        Cp: a.Cp,
        weight: a.weight,
        scale: a.scale,
        R: a.R.byteOffset,
        M: a.M.byteOffset,
        na: a.na.byteOffset,
        alpha: a.alpha.byteOffset,
        invP: a.invP.byteOffset,
        beta: p.beta.byteOffset,
        cos: p.cos.byteOffset,
        e: p.e.byteOffset,
        loss: p.loss.byteOffset,
      };
      this.workers[w]!.postMessage(job);
      busy.push(w);
    }
    let loss = softmaxRows({ ...a, cos: this.f64('cos', a.C), e: this.f64('e', a.C) }, 0, Math.min(a.B, per));
    this.wait(gen, busy, (w) => {
      const p = parts[w]!;
      p.loss[0] = softmaxRows({ ...a, beta: p.beta, cos: p.cos, e: p.e }, p.i0, p.i1);
    });
    for (const p of parts) {
      loss += p.loss[0]!;
      for (let j = 0; j < a.C; j++) a.beta[j] = a.beta[j]! + p.beta[j]!;
    }
    return loss;
  }

  /** Waits for the workers' done flags of `gen`; a dead worker's part runs here (`redo`). */
  private wait(gen: number, busy: number[], redo: (w: number) => void): void {
    for (const w of busy) {
      for (;;) {
        const v = Atomics.load(this.done, w);
        if (v === gen) break;
        if (Atomics.wait(this.done, w, v, 1000) === 'timed-out' && this.broken) {
          redo(w);
          break;
        }
      }
    }
  }
}
