/**
 * The Node entry point: everything in index.ts, plus worker threads for `encode({ workers })`, and the
 * filesystem and Hub helpers.
 */
import { setWorkerPoolFactory } from './model.js';
import { NodeWorkerPool } from './parallel/worker-pool.js';
import { NodeKernelThreads } from './parallel/kernel-pool.js';
import { setKernelThreads } from './parallel/kernel-threads.js';

setWorkerPoolFactory((model, workers) => new NodeWorkerPool(model, workers));
setKernelThreads(new NodeKernelThreads());

export * from './index.js';
export { loadModelFolder, loadTokenizer, findTokenizerFile, FolderSource, FileByteSource, saveModel } from './io.js';
export { DEFAULT_MODEL_PATH, loadDefaultModel } from './default-model.js';
export { downloadModel, hubCacheDir, type HubOptions } from './hub.js';
export { runEvaluation, writeMtebJson, type EvalOptions, type EvalResult, type EvalRun } from './evaluate/run.js';
export { loadReferences, reportMarkdown, reportHtml, chartSvg } from './evaluate/report.js';
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_FILE, type Checkpoint } from './train/checkpoint.js';
export { ThreadedGemmWorkspace } from './train/gemm-threads.js';
export { serveNode, type NodeServeOptions, type RunningServer } from './server/node.js';
