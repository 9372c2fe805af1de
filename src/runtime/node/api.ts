/** The public classes and functions that load models or start threads, with the Node runtime (runtime.ts). */
import { StaticModel as PortableStaticModel, modelInternals, type ModelRuntime } from '../../model/static-model.js';
import type { LoadOptions } from '../../model/core.js';
import type { Matrix } from '../../math/matrix.js';
import type { KernelRuntime } from '../../tasks/kernel-threads.js';
import { paraphraseMining as mine, type MiningOptions, type ScoredPair } from '../../tasks/mining.js';
import { mineParaphrases as mineTexts, type Encoder } from '../../tasks/text.js';
import { VectorIndex as PortableVectorIndex } from '../../tasks/vector-index.js';
import { loadFolderCore } from './fs.js';
import { nodeRuntime } from './runtime.js';

export class StaticModel extends PortableStaticModel {
  static override readonly runtime: ModelRuntime = nodeRuntime;
}

export class VectorIndex<M = unknown> extends PortableVectorIndex<M> {
  static override readonly runtime: KernelRuntime = nodeRuntime;
}

export function paraphraseMining(embeddings: Matrix, options: MiningOptions = {}): ScoredPair[] {
  return mine(embeddings, { runtime: nodeRuntime, ...options });
}

export function mineParaphrases(encoder: Encoder, texts: readonly string[], options: MiningOptions = {}): ScoredPair[] {
  return mineTexts(encoder, texts, { runtime: nodeRuntime, ...options });
}

/** Loads a model from a folder in any known layout. */
export function loadModelFolder(dir: string, options: LoadOptions = {}): StaticModel {
  return modelInternals.create(loadFolderCore(dir, options), StaticModel);
}
