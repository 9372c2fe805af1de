/** A worker thread of NodeKernelThreads: runs its share of each kernel job it receives. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runKernelJob } from '../../tasks/kernel-jobs.js';
import type { KernelTask } from './kernel-pool.js';

const errors = (workerData as { errors: MessagePort }).errors;

parentPort!.on('message', ({ job, thread }: KernelTask) => {
  try {
    runKernelJob(job, thread);
  } catch (e) {
    Atomics.store(job.control, 2, 1);
    errors.postMessage((e as Error).message);
  } finally {
    Atomics.add(job.control, 1, 1);
    Atomics.notify(job.control, 1);
  }
});
