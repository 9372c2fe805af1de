/**
 * The Node entry point: everything in index.ts, plus worker threads for `encode({ workers })`, and the
 * filesystem and Hub helpers; it wires the Node loaders into the portable core (StaticModel.fromPretrained reads
 * folders and the Hub cache).
 */
import { setPretrainedLoader, setWorkerPoolFactory } from './model/static-model.js';
import { loadPretrained } from './runtime/node/pretrained.js';
import { NodeWorkerPool } from './runtime/node/worker-pool.js';

setWorkerPoolFactory((model, workers) => new NodeWorkerPool(model, workers));
setPretrainedLoader(loadPretrained);

export * from './index.js';
export {
  loadModelFolder,
  loadTokenizer,
  findTokenizerFile,
  FolderSource,
  FileByteSource,
  saveModel,
} from './runtime/node/fs.js';
export { DEFAULT_MODEL_PATH, loadDefaultModel } from './runtime/node/default-model.js';
export { downloadModel, hubCacheDir } from './runtime/node/hub.js';
export type { HubOptions, DownloadProgress } from './model/hub-options.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
export {
  runEvaluation,
  writeMtebJson,
  type EvalOptions,
  type EvalResult,
  type EvalRun,
} from './runtime/node/eval-run.js';
export { loadReferences, reportMarkdown, reportHtml, chartSvg } from './runtime/node/eval-report.js';
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_FILE, type Checkpoint } from './runtime/node/checkpoint.js';
export { ThreadedGemmWorkspace } from './runtime/node/gemm-threads.js';
export { serveNode, type NodeServeOptions, type RunningServer } from './runtime/node/serve.js';
