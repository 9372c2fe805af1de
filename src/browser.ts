/**
 * The browser entry point: index.ts plus fetch loading, the default model by URL, the edge entry and Web Workers.
 * See ARCHITECTURE.md, "Entry points and runtimes".
 */
import { setPretrainedLoader, setWorkerPoolFactory } from './model/static-model.js';
import { fetchPretrained } from './runtime/web/pretrained.js';
import { WebWorkerPool, webWorkersUsable } from './runtime/web/web-pool.js';
import { WebKernelThreads } from './runtime/web/kernel-pool.js';
import { setKernelThreads } from './tasks/kernel-threads.js';

setPretrainedLoader(fetchPretrained);
if (webWorkersUsable()) {
  setWorkerPoolFactory((model, workers) => new WebWorkerPool(model, workers));
  setKernelThreads(new WebKernelThreads());
}

export * from './index.js';
export { webWorkersUsable };
export { loadDefaultModel, defaultModelUrl } from './runtime/web/default-model.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
