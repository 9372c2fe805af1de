/** A worker thread of ThreadedGemmWorkspace: runs slices of gemmNT and of the row softmax on the shared memory. */
import { parentPort, workerData } from 'node:worker_threads';
import type { GemmFn } from '../../kernels/gemm.js';
import type { ThreadJob } from './gemm-threads.js';
import { softmaxRows } from '../../kernels/softmax-rows.js';

const init = workerData as { memory: WebAssembly.Memory; module: WebAssembly.Module; done: Int32Array; index: number };
const gemm = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports.gemm_nt as GemmFn;

parentPort!.on('message', (j: ThreadJob) => {
  if (j.type === 'gemm') gemm(j.x, j.y, j.nx, j.ny, j.k, j.out);
  else {
    const buf = init.memory.buffer;
    const f32 = (p: number, n: number) => new Float32Array(buf, p, n),
      f64 = (p: number, n: number) => new Float64Array(buf, p, n);
    new Float64Array(buf, j.loss, 1)[0] = softmaxRows(
      {
        R: f32(j.R, j.B * j.Cp),
        B: j.B,
        C: j.C,
        Cp: j.Cp,
        na: f64(j.na, j.B),
        invP: f64(j.invP, j.C),
        weight: j.weight,
        scale: j.scale,
        M: f32(j.M, j.B * j.Cp),
        alpha: f64(j.alpha, j.B),
        beta: f64(j.beta, j.C),
        cos: f64(j.cos, j.C),
        e: f64(j.e, j.C),
      },
      j.i0,
      j.i1,
    );
  }
  Atomics.store(init.done, init.index, j.gen);
  Atomics.notify(init.done, init.index);
});
