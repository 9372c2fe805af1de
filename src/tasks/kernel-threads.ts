/**
 * Threads for the search and mining kernels: a runtime registers a runner (Node: worker threads, see
 * runtime/node/kernel-pool.ts) and the portable tasks use it when present. A job is claimed in pieces through an atomic
 * counter by every thread; `run` returns when all threads are done (the calling thread takes part).
 */

/** What every kernel job carries: its kind (see kernel-jobs.ts) and the shared counters. */
export interface KernelJobBase {
  type: string;
  control: Int32Array;
}

export interface KernelThreads {
  /** Runs `job` on `threads` threads (the caller + threads − 1 workers) and returns when all are done. */
  run(job: KernelJobBase, threads: number): void;
}

let runner: KernelThreads | undefined;

export function setKernelThreads(r: KernelThreads): void {
  runner = r;
}

/** The registered runner, if this runtime has one (else the tasks run on the calling thread). */
export function kernelThreads(): KernelThreads | undefined {
  return runner;
}

/** The shared job counters: [0] next piece, [1] workers done, [2] a thread failed. */
export function newControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(16));
}
