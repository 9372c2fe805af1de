/** Messages between a model's calling thread and its worker threads. */
import type { ModelShared } from './shared.js';

export interface WorkerInit {
  model: ModelShared;
  /** where workers report errors (a MessagePort) */
  errors: unknown;
}

/**
 * One batch: chunks of `chunk` texts are claimed with an atomic counter (control[0]) by every participating
 * thread; control[1] counts finished chunks, control[2] is set when a thread failed. Rows go straight into the
 * shared output.
 */
export interface EncodeJob {
  type: 'encode';
  id: number;
  texts: readonly string[];
  chunk: number;
  chunks: number;
  control: Int32Array;
  out: Float32Array;
  outDim: number;
  normalize: boolean;
  /** shared: each text's token count, when asked for */
  counts?: Int32Array;
}

/**
 * Batch `id` as a job for `threads` threads: chunks of at least 32 texts, about 8 per thread. Rows go into `into` when
 * it is shared memory large enough, else into new shared memory; token counts (when asked) likewise.
 */
export function encodeJob(
  id: number,
  texts: readonly string[],
  outDim: number,
  normalize: boolean,
  threads: number,
  into?: Float32Array,
  counts?: Int32Array,
): EncodeJob {
  const chunk = Math.max(32, Math.ceil(texts.length / (threads * 8)));
  const n = texts.length * outDim;
  const shared = into !== undefined && into.buffer instanceof SharedArrayBuffer && into.length >= n;
  return {
    type: 'encode',
    id,
    texts,
    chunk,
    chunks: Math.ceil(texts.length / chunk),
    control: new Int32Array(new SharedArrayBuffer(16)),
    out: shared ? into.subarray(0, n) : new Float32Array(new SharedArrayBuffer(Math.max(4, n * 4)), 0, n),
    outDim,
    normalize,
    ...(counts
      ? {
          counts:
            counts.buffer instanceof SharedArrayBuffer
              ? counts
              : new Int32Array(new SharedArrayBuffer(Math.max(4, texts.length * 4))),
        }
      : {}),
  };
}

export interface JobError {
  id: number;
  message: string;
  code: string | undefined;
}

/** Encodes texts[start, end) into rows start… of `out` (outDim columns), counting each text's ids when asked. */
export type EncodeRange = (
  texts: readonly string[],
  start: number,
  end: number,
  out: Float32Array,
  outDim: number,
  normalize: boolean,
  counts?: Int32Array,
) => void;

/** Claims and encodes chunks until none is left (the loop every thread runs). Returns an error, if one happened. */
export function runChunks(job: EncodeJob, encodeRange: EncodeRange): Error | undefined {
  const { control, texts, chunk, chunks } = job;
  for (;;) {
    if (Atomics.load(control, 2) !== 0) return undefined;
    const c = Atomics.add(control, 0, 1);
    if (c >= chunks) return undefined;
    const s = c * chunk,
      e = Math.min(texts.length, s + chunk);
    try {
      encodeRange(texts, s, e, job.out, job.outDim, job.normalize, job.counts);
    } catch (err) {
      Atomics.store(control, 2, 1);
      Atomics.notify(control, 1);
      return err as Error;
    }
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  }
}
