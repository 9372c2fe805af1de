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

/** What a runtime gives the search and mining kernels: threads (see ModelRuntime for models). */
export interface KernelRuntime {
  readonly kernelThreads?: KernelThreads;
}

/** The runtime's threads if they can run a job while the calling thread blocks (Node), else undefined. */
export function blockingThreads(runtime: KernelRuntime | undefined): Required<KernelThreads> | undefined {
  const threads = runtime?.kernelThreads;
  return threads?.run ? (threads as Required<KernelThreads>) : undefined;
}

/** The shared job counters: [0] next piece, [1] workers done, [2] a thread failed (plain memory without threads). */
export function newControl(): Int32Array {
  return new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(16) : new ArrayBuffer(16));
}
