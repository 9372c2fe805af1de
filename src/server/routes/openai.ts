/**
 * OpenAI's embeddings API: POST /v1/embeddings, GET /v1/models and GET /v1/models/{id}.
 * See ARCHITECTURE.md, "Server defences".
 */
import { Matrix } from '../../math/matrix.js';
import { normalizeRows, truncate } from '../../model/postprocess.js';
import type { Embedded } from '../batcher.js';
import type { RouteContext } from '../context.js';
import { dimensionsOf, objectOf, textsOf } from '../inputs.js';
import { fieldError, json, streamed } from '../respond.js';
import type { OpenAIModel, OpenAIModelList } from '../schema.js';
import { BYTES_PER_FLOAT } from '../serialize.js';

const STARTED = Math.floor(Date.now() / 1000);

const modelObject = (name: string): OpenAIModel => ({
  id: name,
  object: 'model',
  created: STARTED,
  owned_by: 'static-embed',
});

export function openAIModels(ctx: RouteContext): Response {
  const body: OpenAIModelList = { object: 'list', data: ctx.models().map((m) => modelObject(m.name)) };
  return json(body);
}

/** GET /v1/models/{id} (the id URL-encoded; Hub ids contain a slash) */
export function openAIModel(id: string, ctx: RouteContext): Response {
  return json(modelObject(ctx.model(id).name));
}

/** Rows cut to `dim` columns and, when asked, normalized — model.encode's post-processing, in its order. */
export function postprocess(e: Embedded, n: number, dim: number, normalize: boolean): Float32Array {
  const m = truncate(new Matrix(n, e.dim, e.rows), dim);
  return (normalize ? normalizeRows(m) : m).data;
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
  ctx.reserveResponse(texts.length, entry.model.dim, format === 'base64' ? 2 : BYTES_PER_FLOAT);
  const e = await ctx.embed(entry, texts);
  Object.assign(ctx.note, { model: entry.name, texts: texts.length, tokens: e.tokens });
  const rows = postprocess(e, texts.length, dim, true);
  const tail = `],"model":${JSON.stringify(entry.name)},"usage":{"prompt_tokens":${e.tokens},"total_tokens":${e.tokens}}}`;
  return streamed(
    ctx.body(
      format === 'base64' ? 'openai-base64' : 'openai-float',
      rows,
      texts.length,
      dim,
      '{"object":"list","data":[',
      tail,
    ),
  );
}
