export { semanticSearch, type SearchHit, type SearchOptions } from './search.js';
export { paraphraseMining, type MiningOptions, type ScoredPair } from './mining.js';
export { communityDetection, type CommunityOptions } from './community.js';
export { quantizeEmbeddings, type Precision, type QuantizeOptions, type QuantizedEmbeddings } from './quantize.js';
export { kmeans, miniBatchKMeans, kmeansPlusPlus, type KMeansOptions, type KMeansResult } from './kmeans.js';
export { agglomerative, type AgglomerativeOptions } from './agglomerative.js';
export { LogisticRegression, lbfgs, type LogisticOptions, type LogisticJson } from './logistic.js';
export { knnPredict } from './knn.js';
export {
  VectorIndex,
  dotsReference,
  dotsI8Reference,
  hammingReference,
  type VectorIndexOptions,
  type IndexSearchOptions,
} from './vector-index.js';
export { searchTexts, mineParaphrases, findCommunities, clusterTexts, type Encoder } from './text.js';
