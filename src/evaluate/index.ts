export { rankdata, pearson, spearman, averagePrecision, bestAccuracy, bestF1, weightedScores } from './metrics.js';
export { evaluateSts, type StsScores } from './sts.js';
export { evaluatePairs, type PairScores } from './pairs.js';
export { evaluateBitext } from './bitext.js';
