/**
 * The browser entry point: everything in index.ts, plus Web Workers for `encodeAsync({ workers })` when the
 * page is cross-origin isolated (without isolation, encoding stays on the calling thread).
 */
import { setWorkerPoolFactory } from './model/static-model.js';
import { WebWorkerPool, webWorkersUsable } from './runtime/web/web-pool.js';

if (webWorkersUsable()) setWorkerPoolFactory((model, workers) => new WebWorkerPool(model, workers));

export * from './index.js';
export { webWorkersUsable };
