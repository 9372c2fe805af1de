/**
 * Evaluation on a dev set during training (STS, 0/1 pairs or parallel pairs), at each Matryoshka dim.
 * See ARCHITECTURE.md, "Training math".
 */
import { evaluateBitext } from '../evaluate/bitext.js';
import type { EvalItem } from '../evaluate/task.js';
import { evaluatePairs } from '../evaluate/pairs.js';
import { evaluateSts } from '../evaluate/sts.js';
import { truncate } from '../model/postprocess.js';
import type { StaticModel } from '../model/static-model.js';

export interface DevScore {
  name: string;
  metric: string;
  dim: number;
  score: number;
}

export function evaluateDev(model: StaticModel, sets: EvalItem[], dims: number[]): DevScore[] {
  const out: DevScore[] = [];
  for (const set of sets) {
    const A = model.encode(set.a, { normalize: false }),
      B = model.encode(set.b, { normalize: false });
    for (const dim of dims) {
      const a = dim === A.cols ? A : truncate(A, dim),
        b = dim === B.cols ? B : truncate(B, dim);
      switch (set.type) {
        case 'sts':
          out.push({ name: set.task, metric: 'spearman', dim, score: evaluateSts(a, b, set.scores!).main_score });
          break;
        case 'pairs':
          out.push({ name: set.task, metric: 'ap', dim, score: evaluatePairs(a, b, set.scores!).main_score });
          break;
        default:
          out.push({ name: set.task, metric: 'bitext-f1', dim, score: evaluateBitext(a, b).f1 });
          break;
      }
    }
  }
  return out;
}
