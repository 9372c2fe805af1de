/**
 * Web Workers for kernel jobs (browsers, cross-origin isolated pages): the same protocol as Node's worker threads
 * (the portable KernelWorkers) — each worker runs the search kernels over the job's shared WebAssembly memory and
 * claims pieces of the job like the calling thread. A page's thread cannot block, so only `runAsync` exists: the
 * page runs its share, then awaits the workers (Atomics.waitAsync). Workers live as long as the page.
 */
import { KernelWorkers, type KernelTask } from '../../tasks/kernel-workers.js';

export class WebKernelThreads extends KernelWorkers {
  private readonly workers: Worker[] = [];
  private lastError: string | undefined;

  protected spawn(n: number): void {
    while (this.workers.length < n) {
      const w = new Worker(new URL('./kernel-worker.js', import.meta.url), { type: 'module' });
      w.onmessage = (e: MessageEvent<{ error?: string }>) => {
        if (e.data.error !== undefined) this.lastError = e.data.error;
      };
      this.workers.push(w);
    }
  }

  protected post(i: number, task: KernelTask): void {
    this.workers[i]!.postMessage(task);
  }

  protected takeFailure(): string | undefined {
    const e = this.lastError;
    this.lastError = undefined;
    return e;
  }
}
