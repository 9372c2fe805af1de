/**
 * Web Workers for kernel jobs (cross-origin isolated pages), on the portable KernelWorkers protocol.
 * See ARCHITECTURE.md, "Threading".
 */
import { KernelWorkers, type KernelTask } from '../../tasks/kernel-workers.js';
import { startWorkers, warnFallback, type WorkerGroup } from './worker-start.js';

export class WebKernelThreads extends KernelWorkers {
  private readonly workers: Worker[] = [];
  private readonly groups: WorkerGroup[] = [];
  private lastError: string | undefined;

  protected spawn(n: number): void {
    if (this.workers.length >= n) return;
    const group = startWorkers(
      n - this.workers.length,
      () => new Worker(new URL('./kernel-worker.js', import.meta.url), { type: 'module' }),
      (data) => {
        const e = (data as { error?: string }).error;
        if (e !== undefined) this.lastError = e;
      },
    );
    this.groups.push(group);
    this.workers.push(...group.workers);
  }

  /** Workers that cannot start: one console warning, and the job runs on the page's thread. */
  protected override async usable(): Promise<boolean> {
    for (const g of this.groups) {
      const why = await g.started;
      if (why !== undefined) {
        warnFallback('VectorIndex.searchAsync', why);
        return false;
      }
    }
    return true;
  }

  protected override broken(): string | undefined {
    return this.groups.find((g) => g.failure !== undefined)?.failure;
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
