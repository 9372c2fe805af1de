/**
 * What every runtime's kernel worker pool shares (Node worker threads, Web Workers).
 * See ARCHITECTURE.md, "Threading".
 */
import { StaticEmbedError } from '../errors.js';
import { runKernelJob, type KernelJob } from './kernel-jobs.js';
import type { KernelJobBase, KernelThreads } from './kernel-threads.js';

/** One worker's part of a job. */
export interface KernelTask {
  job: KernelJob;
  thread: number;
}

/**
 * A worker's handling of a task: runs its share; on failure flags the job and hands the message to `report`
 * (before the thread counts as done, so the caller can find it); always counts itself done and wakes the caller.
 */
export function runKernelTask({ job, thread }: KernelTask, report: (message: string) => void): void {
  try {
    runKernelJob(job, thread);
  } catch (e) {
    Atomics.store(job.control, 2, 1);
    report(e instanceof Error ? e.message : String(e));
  } finally {
    Atomics.add(job.control, 1, 1);
    Atomics.notify(job.control, 1);
  }
}

export abstract class KernelWorkers implements KernelThreads {
  /** Makes sure at least `n` workers exist. */
  protected abstract spawn(n: number): void;
  /** Posts a task to worker `i`. */
  protected abstract post(i: number, task: KernelTask): void;
  /** A failed worker's message that arrived since the last call, if any. */
  protected abstract takeFailure(): string | undefined;
  private message: string | undefined;

  private failure(): string | undefined {
    this.message = this.takeFailure() ?? this.message;
    return this.message;
  }

  /** Posts the job to threads − 1 workers and runs the calling thread's share; returns its error, if any. */
  protected start(base: KernelJobBase, threads: number): unknown {
    const job = base as KernelJob;
    this.message = undefined;
    this.takeFailure();
    this.spawn(threads - 1);
    for (let t = 1; t < threads; t++) this.post(t - 1, { job, thread: t });
    try {
      runKernelJob(job, 0);
      return undefined;
    } catch (e) {
      Atomics.store(job.control, 2, 1);
      return e;
    }
  }

  /** After every worker is done: the calling thread's error, or a worker's. */
  protected finish(job: KernelJobBase, own: unknown): void {
    if (own) throw own;
    if (Atomics.load(job.control, 2) !== 0)
      throw new StaticEmbedError('INVALID_INPUT', `Kernel job failed: ${this.failure() ?? 'a worker thread failed'}.`);
  }

  /** Whether the workers run (where they may fail to start, a runtime says no, and the job runs on this thread). */
  protected usable(): Promise<boolean> | boolean {
    return true;
  }

  /** Why the workers stopped during a job, if they did: the job then fails instead of waiting for them. */
  protected broken(): string | undefined {
    return undefined;
  }

  async runAsync(job: KernelJobBase, threads: number): Promise<void> {
    this.spawn(threads - 1);
    // every thread's share on this one: the first claims every piece, the others only set up their (empty) results
    if (!(await this.usable())) {
      for (let t = 0; t < threads; t++) runKernelJob(job as KernelJob, t);
      return;
    }
    const own = this.start(job, threads);
    const { control } = job;
    // a pending Atomics.waitAsync does not keep Node's event loop alive (the workers are unref'd): a timer does
    const alive = setInterval(() => {}, 1000);
    try {
      for (let done = Atomics.load(control, 1); done < threads - 1; done = Atomics.load(control, 1)) {
        const why = this.broken();
        if (why !== undefined)
          throw new StaticEmbedError('WORKER_FAILED', `The kernel job's worker threads stopped: ${why}.`);
        const r = Atomics.waitAsync(control, 1, done, 250);
        if (r.async) await r.value;
      }
      // a worker's message is posted before it counts as done, but may still be on its way
      for (let i = 0; i < 50 && !own && Atomics.load(control, 2) !== 0 && !this.failure(); i++)
        await new Promise((r) => setTimeout(r, 10));
    } finally {
      clearInterval(alive);
    }
    this.finish(job, own);
  }
}
