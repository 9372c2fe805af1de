/**
 * The browser entry point (also what Web Workers and edge runtimes such as Cloudflare Workers and Vercel Edge
 * resolve): everything in index.ts, plus StaticModel.fromPretrained over fetch and Cache Storage (Hub ids and
 * folder URLs), the default model by URL, the edge entry, and Web Workers for `encodeAsync({ workers })` and
 * `VectorIndex.searchAsync({ threads })` when the page is cross-origin isolated (without isolation, everything runs
 * on the calling thread with plain buffers).
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
