/**
 * The browser runtime: fetch and Cache Storage for fromPretrained; Web Workers for encodeAsync and the search kernels
 * on a cross-origin isolated page (elsewhere everything runs on the calling thread).
 */
import type { ModelRuntime } from '../../model/static-model.js';
import type { KernelRuntime } from '../../tasks/kernel-threads.js';
import { WebEncodeWorkers, webWorkersUsable } from './encode-workers.js';
import { WebKernelThreads } from './kernel-threads.js';
import { fetchModelCore } from './pretrained.js';

export const webRuntime: ModelRuntime & KernelRuntime = webWorkersUsable()
  ? {
      loadPretrained: fetchModelCore,
      encodeWorkers: (model, workers) => new WebEncodeWorkers(model, workers),
      kernelThreads: new WebKernelThreads(),
    }
  : { loadPretrained: fetchModelCore };
