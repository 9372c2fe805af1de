export { StaticEmbedError, type ErrorCode } from './errors.js';
export { Tokenizer, IdBuffer, UNICODE_SOURCE, type EncodeOptions as TokenizeOptions, type EncodedBatch, type TokenizerJson } from './tokenizer/index.js';
export { StaticModel, type LoadOptions, type EncodeOptions, type ModelInfo, type ModelFiles } from './model.js';
export { Matrix } from './math/matrix.js';
export { similarityMatrix, SIMILARITY_FNS, type SimilarityFn } from './math/similarity.js';
export { truncate, normalizeRows, NORM_EPSILON } from './postprocess.js';
export { readSafetensors, type Tensor, type SafetensorsFile } from './formats/safetensors.js';
export { resolveLayout, LAYOUT_NAMES, type FileSource, type ResolvedLayout, type ProfileName } from './formats/layouts.js';
