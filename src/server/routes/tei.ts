/**
 * Hugging Face text-embeddings-inference routes: POST /embed, POST /similarity and POST /embed_all.
 * See ARCHITECTURE.md, "Server defences".
 */
import { Matrix } from '../../math/matrix.js';
import { similarityMatrix } from '../../math/similarity.js';
import type { RouteContext } from '../context.js';
import { booleanOf, dimensionsOf, objectOf, textsOf } from '../inputs.js';
import { formatFloat32 } from '../../math/float-format.js';
import { postprocess } from './openai.js';
import { fieldError, rawJson, streamed } from '../respond.js';
import { BYTES_PER_FLOAT } from '../serialize.js';

function truncationOf(body: Record<string, unknown>): void {
  booleanOf(body.truncate, 'truncate', false);
  const d = body.truncation_direction;
  if (d !== undefined && d !== null && !(typeof d === 'string' && ['left', 'right'].includes(d.toLowerCase())))
    throw fieldError('INVALID_INPUT', 'truncation_direction', '\'truncation_direction\' must be "Left" or "Right".');
}

export async function teiEmbed(raw: unknown, ctx: RouteContext): Promise<Response> {
  const body = objectOf(raw, '{"inputs": "some text"}');
  const entry = ctx.model(body.model);
  const texts = textsOf(body.inputs, 'inputs', ctx.limits);
  const normalize = booleanOf(body.normalize, 'normalize', true);
  const dim = dimensionsOf(body.dimensions, 'dimensions', entry.model.dim) ?? entry.model.dim;
  truncationOf(body);
  ctx.reserveResponse(texts.length, entry.model.dim, BYTES_PER_FLOAT);
  const e = await ctx.embed(entry, texts);
  Object.assign(ctx.note, { model: entry.name, texts: texts.length, tokens: e.tokens });
  return streamed(ctx.body('tei', postprocess(e, texts.length, dim, normalize), texts.length, dim, '[', ']'));
}

export async function teiSimilarity(raw: unknown, ctx: RouteContext): Promise<Response> {
  const body = objectOf(raw, '{"inputs": {"source_sentence": "…", "sentences": ["…"]}}');
  const entry = ctx.model(body.model);
  const inputs = objectOf(body.inputs ?? null, '{"inputs": {"source_sentence": "…", "sentences": ["…"]}}');
  if (typeof inputs.source_sentence !== 'string')
    throw fieldError('INVALID_INPUT', 'inputs.source_sentence', "'inputs.source_sentence' must be a string.");
  const source = textsOf(inputs.source_sentence, 'inputs.source_sentence', ctx.limits);
  if (!Array.isArray(inputs.sentences))
    throw fieldError('INVALID_INPUT', 'inputs.sentences', "'inputs.sentences' must be an array of strings.");
  const sentences = textsOf(inputs.sentences, 'inputs.sentences', {
    ...ctx.limits,
    maxInputs: ctx.limits.maxInputs - 1,
  });
  truncationOf(body);
  ctx.reserveResponse(sentences.length + 1, entry.model.dim, 16);
  const e = await ctx.embed(entry, [...source, ...sentences]);
  Object.assign(ctx.note, { model: entry.name, texts: sentences.length + 1, tokens: e.tokens });
  const d = e.dim;
  const scores = similarityMatrix(
    new Matrix(1, d, e.rows.subarray(0, d)),
    new Matrix(sentences.length, d, e.rows.subarray(d)),
    'cosine',
  );
  return rawJson(`[${Array.from(scores.data, (s) => formatFloat32(s)).join(',')}]`);
}

/** TEI's /embed_all: for each input, its tokens' vectors (encodeTokens: the rows before pooling, not normalized). */
export async function teiEmbedAll(raw: unknown, ctx: RouteContext): Promise<Response> {
  const body = objectOf(raw, '{"inputs": "some text"}');
  const entry = ctx.model(body.model);
  const texts = textsOf(body.inputs, 'inputs', ctx.limits);
  truncationOf(body);
  const tokens = entry.model.encodeTokens(texts);
  let n = 0;
  for (const t of tokens) n += t.ids.length;
  ctx.reserveResponse(n + texts.length, entry.model.dim, BYTES_PER_FLOAT);
  Object.assign(ctx.note, { model: entry.name, texts: texts.length, tokens: n });
  const parts: string[] = [];
  for (const t of tokens) {
    const v = t.vectors;
    const rows: string[] = [];
    for (let i = 0; i < v.rows; i++) rows.push(`[${Array.from(v.row(i), (x) => formatFloat32(x)).join(',')}]`);
    parts.push(`[${rows.join(',')}]`);
  }
  return rawJson(`[${parts.join(',')}]`);
}
