/** The Node runtime: folders and the Hub cache for fromPretrained, worker threads for encoding and the kernels. */
import type { ModelRuntime } from '../../model/static-model.js';
import type { KernelRuntime } from '../../tasks/kernel-threads.js';
import { NodeEncodeWorkers } from './encode-workers.js';
import { NodeKernelThreads } from './kernel-threads.js';
import { loadPretrained } from './pretrained.js';

export const nodeRuntime: ModelRuntime & KernelRuntime = {
  loadPretrained,
  encodeWorkers: (model, workers) => new NodeEncodeWorkers(model, workers),
  kernelThreads: new NodeKernelThreads(),
};
