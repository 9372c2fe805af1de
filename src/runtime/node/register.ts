/** Wires the Node runtime into the portable core: worker threads, the folder and Hub loader, kernel threads. */
import { setPretrainedLoader, setWorkerPoolFactory } from '../../model/static-model.js';
import { setKernelThreads } from '../../tasks/kernel-threads.js';
import { NodeKernelThreads } from './kernel-pool.js';
import { loadPretrained } from './pretrained.js';
import { NodeWorkerPool } from './worker-pool.js';

setWorkerPoolFactory((model, workers) => new NodeWorkerPool(model, workers));
setPretrainedLoader(loadPretrained);
setKernelThreads(new NodeKernelThreads());
