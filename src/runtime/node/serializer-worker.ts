/** A serializer thread (Node): turns slices of response rows into their JSON or base64 text, as UTF-8 bytes. */
import { parentPort } from 'node:worker_threads';
import type { SliceJob } from '../../server/serialize.js';
import { sliceBytes } from '../../server/write-json.js';

parentPort!.on('message', (m: { id: number; job: SliceJob }) => {
  try {
    const bytes = sliceBytes(m.job);
    parentPort!.postMessage({ id: m.id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: String((e as Error)?.message ?? e) });
  }
});
