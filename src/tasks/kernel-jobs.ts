/** Every kind of kernel job a thread can run: one switch on `type`, shared by the calling thread and workers. */
import { StaticEmbedError, describe } from '../errors.js';
import { indexThread, type IndexJob } from './index-scan.js';
import { mineThread, type MineJob } from './mine-tiles.js';

export type KernelJob = MineJob | IndexJob;

export function runKernelJob(job: KernelJob, thread: number): void {
  switch (job.type) {
    case 'mine':
      return mineThread(job, thread);
    case 'index':
      return indexThread(job, thread);
    default:
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Unknown kernel job type ${describe((job as { type: unknown }).type)}.`,
      );
  }
}
