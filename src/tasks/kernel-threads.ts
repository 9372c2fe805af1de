/**
 * Threads for the search and mining kernels: the runner a runtime registers, used when present.
 * See ARCHITECTURE.md, "Threading".
 */

/** What every kernel job carries: its kind (see kernel-jobs.ts) and the shared counters. */
export interface KernelJobBase {
  type: string;
  control: Int32Array;
}

export interface KernelThreads {
  /** Runs `job` on `threads` threads (the caller + threads − 1 workers) and returns when all are done; absent where
   * the calling thread cannot block (a browser page). */
  run?(job: KernelJobBase, threads: number): void;
  /** The same, awaiting the workers instead of blocking. */
  runAsync(job: KernelJobBase, threads: number): Promise<void>;
}

let runner: KernelThreads | undefined;

export function setKernelThreads(r: KernelThreads): void {
  runner = r;
}

/** The registered runner, if this runtime has one (else the tasks run on the calling thread). */
export function kernelThreads(): KernelThreads | undefined {
  return runner;
}

/** The registered runner if it can run a job while the calling thread blocks (Node), else undefined. */
export function blockingKernelThreads(): Required<KernelThreads> | undefined {
  return runner?.run ? (runner as Required<KernelThreads>) : undefined;
}

/** The shared job counters: [0] next piece, [1] workers done, [2] a thread failed (plain memory without threads). */
export function newControl(): Int32Array {
  return new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(16) : new ArrayBuffer(16));
}
