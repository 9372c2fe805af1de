/**
 * The portable entry point of `static-embed` (browsers, workers, Bun, Deno).
 * See ARCHITECTURE.md, "Entry points and runtimes".
 */
export { StaticEmbedError, type ErrorCode } from './errors.js';
export {
  StaticModel,
  type LoadOptions,
  type EncodeOptions,
  type ModelInfo,
  type ModelFiles,
  type ModelTable,
  type EncodeTokensOptions,
  type TokenVectors,
} from './model/static-model.js';
export type { HubOptions, DownloadProgress } from './model/hub-options.js';
export { Tokenizer, type TokenizeOptions, type EncodedBatch } from './tokenizer/tokenizer.js';
export { Matrix } from './math/matrix.js';
export { similarityMatrix, pairwiseSimilarity, type SimilarityFn } from './math/similarity.js';
export { truncate, normalizeRows } from './model/postprocess.js';
export { semanticSearch, type SearchHit, type SearchOptions } from './tasks/search.js';
export { VectorIndex, type VectorIndexOptions, type IndexSearchOptions, type IndexHit } from './tasks/vector-index.js';
export { paraphraseMining, type MiningOptions, type ScoredPair } from './tasks/mining.js';
export { communityDetection, type CommunityOptions } from './tasks/community.js';
export { kmeans, type KMeansOptions, type KMeansResult } from './tasks/kmeans.js';
export { agglomerative, type AgglomerativeOptions } from './tasks/agglomerative.js';
export { LogisticRegression, type LogisticOptions, type LogisticJson } from './tasks/logistic.js';
export { knnPredict } from './tasks/knn.js';
export {
  quantizeEmbeddings,
  type Precision,
  type QuantizeOptions,
  type QuantizedEmbeddings,
} from './tasks/quantize.js';
export { chunkText, chunkTexts, type Chunk, type ChunkMethod, type ChunkOptions } from './chunk/chunk.js';
export { splitSentences, type Span } from './chunk/sentences.js';
export { searchTexts, mineParaphrases, findCommunities, clusterTexts, type Encoder } from './tasks/text.js';
export { evaluateSts, type StsScores } from './evaluate/sts.js';
export { evaluatePairs, type PairScores } from './evaluate/pairs.js';
export { evaluateBitext } from './evaluate/bitext.js';
export { modelFiles, type SaveOptions, type SaveDtype, type SaveLayout } from './transform/save.js';
export { pruneVocabulary } from './transform/prune.js';
export { quantizeVocabulary } from './transform/vocab-quantize.js';
