/** `static-embed/train`: training static models and their WordPiece vocabularies (portable). */
export { train, type TrainOptions, type TrainResult, type TrainState, type StepInfo } from '../train/trainer.js';
export type { Pair } from '../train/data.js';
export { evaluateDev, type DevScore } from '../train/dev-eval.js';
export { countWords, learnVocabulary, wordPieceTokenizerJson, SPECIAL_TOKENS } from '../train/wordpiece-trainer.js';
