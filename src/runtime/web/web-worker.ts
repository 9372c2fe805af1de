/** A Web Worker of a model (browsers): like worker.ts, with the model received in the first message. */
import { coreFromShared } from '../../model/shared.js';
import { modelInternals, type StaticModel } from '../../model/static-model.js';
import { runChunks, type EncodeJob, type JobError, type WorkerInit } from '../../model/worker-protocol.js';

interface Scope {
  onmessage: ((e: { data: unknown }) => void) | null;
  postMessage(m: unknown): void;
}
const scope = globalThis as unknown as Scope;
let model: StaticModel | undefined;

// the pool waits for this (worker-start.ts): a worker that never says it runs is a script that did not load
scope.postMessage({ loaded: true });

scope.onmessage = (e) => {
  const data = e.data as WorkerInit | EncodeJob;
  if ('model' in data) {
    model = modelInternals.create(coreFromShared(data.model));
    scope.postMessage({ ready: true });
    return;
  }
  if (data.type !== 'encode' || !model) return;
  const m = model;
  const err = runChunks(data, (texts, s, end, out, outDim, normalize, counts) =>
    modelInternals.encodeRange(m, texts, s, end, out, outDim, normalize, counts),
  );
  if (err) {
    const report: JobError = { id: data.id, message: err.message, code: (err as { code?: string }).code };
    scope.postMessage({ error: report });
  }
};
