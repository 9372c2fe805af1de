/** The public classes that load models or start threads, with the browser runtime (runtime.ts). */
import { StaticModel as PortableStaticModel, type ModelRuntime } from '../../model/static-model.js';
import type { KernelRuntime } from '../../tasks/kernel-threads.js';
import { VectorIndex as PortableVectorIndex } from '../../tasks/vector-index.js';
import { webRuntime } from './runtime.js';

export class StaticModel extends PortableStaticModel {
  static override readonly runtime: ModelRuntime = webRuntime;
}

export class VectorIndex<M = unknown> extends PortableVectorIndex<M> {
  static override readonly runtime: KernelRuntime = webRuntime;
}
