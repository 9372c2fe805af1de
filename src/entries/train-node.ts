/** `static-embed/train` in Node: training, plus checkpoints on disk and the loss's products on worker threads. */
export * from './train.js';
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_FILE, type Checkpoint } from '../runtime/node/checkpoint.js';
export { ThreadedGemmWorkspace } from '../runtime/node/gemm-threads.js';
