export { StaticEmbedError, type ErrorCode } from './errors.js';
export {
  Tokenizer,
  IdBuffer,
  UNICODE_SOURCE,
  type EncodeOptions as TokenizeOptions,
  type EncodedBatch,
  type TokenizerJson,
} from './tokenizer/index.js';
export {
  StaticModel,
  type LoadOptions,
  type EncodeOptions,
  type ModelInfo,
  type ModelFiles,
} from './model/static-model.js';
export { Matrix } from './math/matrix.js';
export { similarityMatrix, SIMILARITY_FNS, type SimilarityFn } from './math/similarity.js';
export { truncate, normalizeRows, NORM_EPSILON } from './model/postprocess.js';
export { readSafetensors, type Tensor, type SafetensorsFile } from './formats/safetensors.js';
export {
  resolveLayout,
  LAYOUT_NAMES,
  type FileSource,
  type ResolvedLayout,
  type ProfileName,
} from './formats/layouts.js';
export { pairwiseSimilarity, normalized } from './math/similarity.js';
export { TopK } from './math/topk.js';
export * from './tasks/index.js';
export { parseTable, column, formatOf, type Table, type TableRecord, type TableFormat } from './formats/table.js';
export { Random } from './math/random.js';
export * from './evaluate/index.js';
export {
  modelFiles,
  encodeTable,
  INT8_TABLE,
  type SaveOptions,
  type SaveDtype,
  type SaveLayout,
} from './transform/save.js';
export { pruneVocabulary } from './transform/prune.js';
export { quantizeVocabulary } from './transform/vocab-quantize.js';
export { matryoshkaMnrl, type LossConfig, type IdBatch, type LossResult } from './train/loss.js';
export { train, type TrainOptions, type TrainResult, type TrainState, type StepInfo } from './train/trainer.js';
export { evaluateDev, type DevScore } from './train/dev-eval.js';
export { SparseAdamW, linearSchedule } from './train/optimizer.js';
export { GemmWorkspace } from './kernels/gemm.js';
export { MnrlKernel, sparseFromMap, type SparseGrad, type KernelLossResult } from './train/loss-kernel.js';
export { epochBatches, pairsOf, type Pair } from './train/data.js';
export { countWords, learnVocabulary, wordPieceTokenizerJson, SPECIAL_TOKENS } from './train/wordpiece-trainer.js';
export { EmbeddingHandler, type ServerOptions } from './server/handler.js';
export type { ModelEntry } from './server/context.js';
export { MicroBatcher, type EncodeFn, type Embedded } from './server/batcher.js';
