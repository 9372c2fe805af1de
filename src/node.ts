/**
 * The Node entry point: everything in index.ts, plus worker threads for `encode({ workers })`, the embedded
 * default model, saving model folders, Hub downloads and the edge entry; it wires the Node loaders into the
 * portable core (StaticModel.fromPretrained reads folders and the Hub cache).
 */
import { setPretrainedLoader, setWorkerPoolFactory } from './model/static-model.js';
import { loadPretrained } from './runtime/node/pretrained.js';
import { NodeWorkerPool } from './runtime/node/worker-pool.js';
import { NodeKernelThreads } from './runtime/node/kernel-pool.js';
import { setKernelThreads } from './tasks/kernel-threads.js';

setWorkerPoolFactory((model, workers) => new NodeWorkerPool(model, workers));
setPretrainedLoader(loadPretrained);
setKernelThreads(new NodeKernelThreads());

export * from './index.js';
export { saveModel } from './runtime/node/fs.js';
export { loadDefaultModel } from './runtime/node/default-model.js';
export { downloadModel } from './runtime/node/hub.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
