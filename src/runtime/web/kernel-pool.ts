/**
 * Web Workers for kernel jobs (cross-origin isolated pages), on the portable KernelWorkerPool protocol.
 * See ARCHITECTURE.md, "Threading".
 */
import { KernelWorkerPool, type KernelTask } from '../../tasks/kernel-workers.js';

export class WebKernelThreads extends KernelWorkerPool {
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
