/**
 * OpenAI's embeddings API: POST /v1/embeddings and GET /v1/models. Embeddings are unit vectors, as OpenAI's are:
 * truncated to `dimensions` (Matryoshka) and then normalized — exactly model.encode(text, { normalize: true,
 * truncateDim: dimensions }). `encoding_format: "base64"` gives little-endian float32 bytes; usage counts tokens
 * with the model's own tokenizer.
 */
import { Matrix } from '../../math/matrix.js';
import { normalizeRows, truncate } from '../../model/postprocess.js';
import type { Embedded } from '../batcher.js';
import type { RouteContext } from '../context.js';
import { dimensionsOf, objectOf, textsOf } from '../inputs.js';
import { fieldError, float32Base64, json, rawJson } from '../respond.js';
import type { OpenAIModelList } from '../schema.js';

const STARTED = Math.floor(Date.now() / 1000);

export function openAIModels(ctx: RouteContext): Response {
  const body: OpenAIModelList = {
    object: 'list',
    data: ctx.models().map((m) => ({ id: m.name, object: 'model', created: STARTED, owned_by: 'static-embed' })),
  };
  return json(body);
}

/** Rows cut to `dim` columns and, when asked, normalized — model.encode's post-processing, in its order. */
export function postprocess(e: Embedded, n: number, dim: number, normalize: boolean): Float32Array {
  const m = truncate(new Matrix(n, e.dim, e.rows), dim);
  return (normalize ? normalizeRows(m) : m).data;
}

/**
 * A JSON array of the float32 values written as doubles (what OpenAI's API does): exact, and 7× faster to
 * produce than the shortest float32 decimals the CLI writes.
 */
export function floatArray(v: Float32Array): string {
  return `[${v.join(',')}]`;
}

export async function openAIEmbeddings(raw: unknown, ctx: RouteContext): Promise<Response> {
  const body = objectOf(raw, '{"input": "some text", "model": "…"}');
  const entry = ctx.model(body.model);
  const texts = textsOf(body.input, 'input', ctx.limits);
  const dim = dimensionsOf(body.dimensions, 'dimensions', entry.model.dim) ?? entry.model.dim;
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64')
    throw fieldError(
      'INVALID_INPUT',
      'encoding_format',
      `'encoding_format' must be "float" or "base64", got ${JSON.stringify(format).slice(0, 50)}.`,
    );
  if (body.user !== undefined && typeof body.user !== 'string')
    throw fieldError('INVALID_INPUT', 'user', "'user' must be a string.");
  const e = await ctx.embed(entry, texts);
  Object.assign(ctx.note, { model: entry.name, texts: texts.length, tokens: e.tokens });
  const rows = postprocess(e, texts.length, dim, true);
  const parts: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    const v = rows.subarray(i * dim, (i + 1) * dim);
    parts.push(
      `{"object":"embedding","index":${i},"embedding":${format === 'base64' ? `"${float32Base64(v)}"` : floatArray(v)}}`,
    );
  }
  return rawJson(
    `{"object":"list","data":[${parts.join(',')}],"model":${JSON.stringify(entry.name)},"usage":{"prompt_tokens":${e.tokens},"total_tokens":${e.tokens}}}`,
  );
}
