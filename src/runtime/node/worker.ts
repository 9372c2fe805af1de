/** A worker thread of a model (Node worker_threads): rebuilds the model from shared memory, runs encode jobs. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { coreFromShared } from '../../model/shared.js';
import { modelInternals } from '../../model/static-model.js';
import { runChunks, type EncodeJob, type JobError, type WorkerInit } from '../../model/worker-protocol.js';

const init = workerData as WorkerInit;
const model = modelInternals.create(coreFromShared(init.model));
const errors = init.errors as MessagePort;

parentPort!.on('message', (job: EncodeJob) => {
  if (job.type !== 'encode') return;
  const err = runChunks(job, (texts, s, e, out, outDim, normalize, counts) =>
    modelInternals.encodeRange(model, texts, s, e, out, outDim, normalize, counts),
  );
  if (err) {
    const report: JobError = { id: job.id, message: err.message, code: (err as { code?: string }).code };
    errors.postMessage(report);
  }
});
parentPort!.postMessage('ready');
