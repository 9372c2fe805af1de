/**
 * The Node entry point: index.ts plus worker threads, the default model, model folders and the Hub.
 * See ARCHITECTURE.md, "Entry points and runtimes".
 */
import './runtime/node/register.js';

export * from './index.js';
export { saveModel } from './runtime/node/fs.js';
export { loadDefaultModel } from './runtime/node/default-model.js';
export { downloadModel } from './runtime/node/hub.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
