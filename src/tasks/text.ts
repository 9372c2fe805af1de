/**
 * Text-level wrappers: each encodes with any Encoder (a StaticModel, or anything with `encode`) and delegates
 * to the algorithm on embeddings — nothing else happens here.
 */
import type { Matrix } from '../math/matrix.js';
import { communityDetection, type CommunityOptions } from './community.js';
import { kmeans, type KMeansOptions, type KMeansResult } from './kmeans.js';
import { paraphraseMining, type MiningOptions, type ScoredPair } from './mining.js';
import { semanticSearch, type SearchHit, type SearchOptions } from './search.js';

export interface Encoder {
  encode(texts: readonly string[]): Matrix;
}

export function searchTexts(
  encoder: Encoder,
  queries: readonly string[],
  corpus: readonly string[],
  options?: SearchOptions,
): SearchHit[][] {
  return semanticSearch(encoder.encode(queries), encoder.encode(corpus), options);
}

export function mineParaphrases(encoder: Encoder, texts: readonly string[], options?: MiningOptions): ScoredPair[] {
  return paraphraseMining(encoder.encode(texts), options);
}

export function findCommunities(encoder: Encoder, texts: readonly string[], options?: CommunityOptions): number[][] {
  return communityDetection(encoder.encode(texts), options);
}

export function clusterTexts(encoder: Encoder, texts: readonly string[], options: KMeansOptions): KMeansResult {
  return kmeans(encoder.encode(texts), options);
}
