/** A worker thread of NodeKernelThreads: runs its share of each kernel job it receives. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runKernelTask, type KernelTask } from '../../tasks/kernel-workers.js';

const errors = (workerData as { errors: MessagePort }).errors;

parentPort!.on('message', (task: KernelTask) => runKernelTask(task, (message) => errors.postMessage(message)));
