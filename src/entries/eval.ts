/** `static-embed/eval`: the evaluators and their metrics, on embedding matrices (portable). */
export { evaluateSts, type StsScores } from '../evaluate/sts.js';
export { evaluatePairs, type PairScores } from '../evaluate/pairs.js';
export { evaluateBitext } from '../evaluate/bitext.js';
export { evaluateClassification, type ClassificationProtocol } from '../evaluate/classification.js';
export { pearson, spearman, averagePrecision, bestAccuracy, bestF1, weightedScores } from '../evaluate/metrics.js';
export type { EvalItem, TaskType } from '../evaluate/task.js';
