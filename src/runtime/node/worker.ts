/** A worker thread of a model (Node worker_threads): rebuilds the model from shared memory, runs encode jobs. */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { StaticModel } from '../../model/static-model.js';
import { runChunks, type EncodeJob, type JobError, type WorkerInit } from '../../model/worker-protocol.js';

const init = workerData as WorkerInit;
const model = StaticModel.fromShared(init.model);
const errors = init.errors as MessagePort;

parentPort!.on('message', (job: EncodeJob) => {
  if (job.type !== 'encode') return;
  const err = runChunks(job, (texts, s, e, out, outDim, normalize, counts) =>
    model.encodeRange(texts, s, e, out, outDim, normalize, 4096, counts),
  );
  if (err) {
    const report: JobError = { id: job.id, message: err.message, code: (err as { code?: string }).code };
    errors.postMessage(report);
  }
});
parentPort!.postMessage('ready');
