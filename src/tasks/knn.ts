/** k-nearest-neighbour classification by cosine similarity: the baseline next to logistic regression. */
import { StaticEmbedError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { semanticSearch } from './search.js';

export function knnPredict(train: Matrix, labels: readonly string[], queries: Matrix, neighbors = 5): string[] {
  if (labels.length !== train.rows)
    throw new StaticEmbedError('INVALID_ARGUMENT', `${train.rows} training embeddings but ${labels.length} labels.`);
  return semanticSearch(queries, train, { topK: neighbors }).map((hits) => {
    const votes = new Map<string, { n: number; best: number }>();
    for (const h of hits) {
      const l = labels[h.corpusId]!;
      const v = votes.get(l) ?? { n: 0, best: -Infinity };
      v.n++;
      v.best = Math.max(v.best, h.score);
      votes.set(l, v);
    }
    // most votes; ties go to the label with the nearest neighbour
    return [...votes.entries()].sort((a, b) => b[1].n - a[1].n || b[1].best - a[1].best)[0]?.[0] ?? '';
  });
}
