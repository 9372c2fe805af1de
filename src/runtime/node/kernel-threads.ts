/**
 * Worker threads for kernel jobs (Node), on the portable KernelWorkers protocol.
 * See ARCHITECTURE.md, "Threading".
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { workerThreads } from './builtins.js';
import { KernelWorkers, type KernelTask } from '../../tasks/kernel-workers.js';
import type { KernelJobBase } from '../../tasks/kernel-threads.js';

export class NodeKernelThreads extends KernelWorkers {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];

  protected spawn(n: number): void {
    while (this.workers.length < n) {
      const { MessageChannel, Worker } = workerThreads();
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

  protected post(i: number, task: KernelTask): void {
    this.workers[i]!.postMessage(task);
  }

  protected takeFailure(): string | undefined {
    let message: string | undefined;
    for (const p of this.ports)
      for (let m = workerThreads().receiveMessageOnPort(p); m; m = workerThreads().receiveMessageOnPort(p))
        message = String(m.message);
    return message;
  }

  run(job: KernelJobBase, threads: number): void {
    const own = this.start(job, threads);
    for (let done = Atomics.load(job.control, 1); done < threads - 1; done = Atomics.load(job.control, 1))
      Atomics.wait(job.control, 1, done, 1000);
    this.finish(job, own);
  }
}
