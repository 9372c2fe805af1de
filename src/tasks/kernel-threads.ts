/**
 * Threads for the search and mining kernels: a runtime gives them (Node: worker threads, see
 * runtime/node/kernel-threads.ts; browsers on cross-origin isolated pages: Web Workers, runtime/web/kernel-threads.ts)
 * and the portable tasks use them when present. A job is claimed in pieces through an atomic counter by every
 * thread; the calling thread takes part, then waits for the workers — blocking (`run`, where the calling thread
 * may block: Node) or awaiting (`runAsync`, everywhere: a browser page's thread can only await).
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
