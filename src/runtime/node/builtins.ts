/** Node built-ins loaded on first use, so that commands which never start a thread do not pay for their import. */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** node:worker_threads (its import costs a cold start about 5 ms). */
export const workerThreads = (): typeof import('node:worker_threads') =>
  load('node:worker_threads') as typeof import('node:worker_threads');
