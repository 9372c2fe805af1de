/** `static-embed/eval` in Node: the evaluators, plus runs over the dataset files and their reports. */
export * from './eval.js';
export {
  runEvaluation,
  writeMtebJson,
  type EvalOptions,
  type EvalResult,
  type EvalRun,
} from '../runtime/node/eval-run.js';
export { loadReferences, reportMarkdown, reportHtml, chartSvg } from '../runtime/node/eval-report.js';
