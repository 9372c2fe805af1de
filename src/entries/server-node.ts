/** `static-embed/server` in Node: the handler, plus a node:http server around it. */
export * from './server.js';
export { serveNode, type NodeServeOptions, type RunningServer } from '../runtime/node/serve.js';
