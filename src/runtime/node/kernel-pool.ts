/**
 * Worker threads for kernel jobs (Node): each worker instantiates the search kernels over the job's shared
 * WebAssembly memory and claims pieces of the job like the calling thread, which takes part and then waits
 * (Atomics.wait) until every worker is done. Workers live for the process (unref'd), one pool for all jobs.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { StaticEmbedError } from '../../errors.js';
import { runKernelJob, type KernelJob } from '../../tasks/kernel-jobs.js';
import type { KernelJobBase, KernelThreads } from '../../tasks/kernel-threads.js';

export interface KernelTask {
  job: KernelJob;
  thread: number;
}

export class NodeKernelThreads implements KernelThreads {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];

  private spawn(n: number): void {
    while (this.workers.length < n) {
      const ch = new MessageChannel();
      const w = new Worker(new URL('./kernel-worker.js', import.meta.url), {
        workerData: { errors: ch.port2 },
        transferList: [ch.port2],
      });
      w.unref();
      ch.port1.unref();
      this.workers.push(w);
      this.ports.push(ch.port1);
    }
  }

  run(base: KernelJobBase, threads: number): void {
    const job = base as KernelJob;
    this.spawn(threads - 1);
    for (let t = 1; t < threads; t++) this.workers[t - 1]!.postMessage({ job, thread: t } satisfies KernelTask);
    let failure: unknown;
    try {
      runKernelJob(job, 0);
    } catch (e) {
      failure = e;
      Atomics.store(job.control, 2, 1);
    }
    for (let done = Atomics.load(job.control, 1); done < threads - 1; done = Atomics.load(job.control, 1))
      Atomics.wait(job.control, 1, done, 1000);
    if (failure) throw failure;
    if (Atomics.load(job.control, 2) !== 0) {
      let message = 'a worker thread failed';
      for (const p of this.ports)
        for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) message = String(m.message);
      throw new StaticEmbedError('INVALID_INPUT', `Kernel job failed: ${message}.`);
    }
  }
}
