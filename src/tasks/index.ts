export { semanticSearch, type SearchHit, type SearchOptions } from './search.js';
export { paraphraseMining, type MiningOptions, type ScoredPair } from './mining.js';
export { communityDetection, type CommunityOptions } from './community.js';
export { quantizeEmbeddings, type Precision, type QuantizeOptions, type QuantizedEmbeddings } from './quantize.js';
