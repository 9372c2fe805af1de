/** A Web Worker of WebKernelThreads: runs its share of each kernel job it receives. */
import { runKernelTask, type KernelTask } from '../../tasks/kernel-workers.js';

interface Scope {
  onmessage: ((e: { data: KernelTask }) => void) | null;
  postMessage(m: unknown): void;
}
const scope = globalThis as unknown as Scope;

scope.onmessage = (e) => runKernelTask(e.data, (error) => scope.postMessage({ error }));
// the pool waits for this (worker-start.ts): a worker that never says it runs is a script that did not load
scope.postMessage({ loaded: true });
