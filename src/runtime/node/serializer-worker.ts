/** A serializer thread (Node): turns slices of response rows into their JSON or base64 text, as UTF-8 bytes. */
import { parentPort } from 'node:worker_threads';
import { sliceText, type SliceJob } from '../../server/serialize.js';

const encoder = new TextEncoder();

parentPort!.on('message', (m: { id: number; job: SliceJob }) => {
  try {
    const bytes = encoder.encode(sliceText(m.job));
    parentPort!.postMessage({ id: m.id, bytes }, [bytes.buffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: String((e as Error)?.message ?? e) });
  }
});
