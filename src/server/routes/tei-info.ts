/** TEI's GET /info: the default model (the first served) and the server's limits, in TEI's field names. */
import { STATIC_EMBED_VERSION } from '../../version.js';
import type { RouteContext } from '../context.js';
import { json } from '../respond.js';
import type { TeiInfo } from '../schema.js';

/** What /info reports that only the server's runner knows (the Node adapter's connection limit, its threads). */
export interface ServerAbout {
  /** requests served at once (the Node adapter: --max-connections) */
  maxConcurrentRequests?: number;
  /** threads that tokenize and encode (the CLI: --workers; 0 counts as the calling thread, 1) */
  threads?: number;
}

const DTYPES: Record<string, string> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I8: 'int8',
  U8: 'uint8',
};

/** A safetensors dtype in TEI's words ("F16" → "float16"; a quantized table "I8+scales" → "int8"). */
export function dtypeName(dtype: string): string {
  const base = dtype.split('+')[0]!;
  return DTYPES[base] ?? base.toLowerCase();
}

/**
 * A static model has no input length of its own unless it was given maxLength: then the longest input is the
 * character limit (a token is at least one character), inputs beyond it are refused, and nothing is truncated.
 */
export function teiInfo(ctx: RouteContext, about: ServerAbout, maxBatch: number): Response {
  const entry = ctx.model(undefined);
  const info = entry.model.info();
  const maxInput = info.maxLength ?? ctx.limits.maxInputChars;
  const body: TeiInfo = {
    model_id: entry.name,
    model_sha: null,
    model_dtype: dtypeName(info.dtype),
    model_type: { embedding: { pooling: 'mean' } },
    max_concurrent_requests: about.maxConcurrentRequests ?? 512,
    max_input_length: maxInput,
    max_batch_tokens: maxBatch * maxInput,
    max_batch_requests: null,
    max_client_batch_size: ctx.limits.maxInputs,
    auto_truncate: info.maxLength !== null,
    tokenization_workers: Math.max(1, about.threads ?? 1),
    version: STATIC_EMBED_VERSION,
    sha: null,
    docker_label: null,
  };
  return json(body);
}
