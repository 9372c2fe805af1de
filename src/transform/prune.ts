/**
 * Vocabulary pruning: keep only the tokens a corpus uses, renumbering everything together.
 * See ARCHITECTURE.md, "Models written".
 */
import { StaticEmbedError } from '../errors.js';
import { modelInternals, type StaticModel } from '../model/static-model.js';
import { rebuildModel, tokenizerJsonOf } from './rebuild.js';

const utf8 = new TextDecoder();
const enc = new TextEncoder();

type Json = Record<string, unknown>;

function remapPostProcessor(pp: unknown, map: (id: number) => number): void {
  if (!pp || typeof pp !== 'object') return;
  const p = pp as Json;
  if (p.type === 'BertProcessing' || p.type === 'RobertaProcessing') {
    for (const k of ['cls', 'sep']) {
      const v = p[k] as [string, number] | undefined;
      if (v) v[1] = map(v[1]);
    }
  } else if (p.type === 'TemplateProcessing') {
    for (const s of Object.values((p.special_tokens ?? {}) as Record<string, { ids: number[] }>))
      s.ids = s.ids.map(map);
  } else if (p.type === 'Sequence') {
    for (const q of (p.processors ?? []) as unknown[]) remapPostProcessor(q, map);
  }
}

export function pruneVocabulary(
  model: StaticModel,
  texts: readonly string[],
  minCount = 1,
): { model: StaticModel; kept: number; removed: number } {
  if (model.tokenizer.modelKind !== 'WordPiece') {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `Vocabulary pruning keeps tokenization unchanged only for WordPiece tokenizers; this one is ${model.tokenizer.modelKind}.`,
    );
  }
  if (model.mapping)
    throw new StaticEmbedError('INVALID_ARGUMENT', 'Pruning a vocabulary-quantized model is not supported.');
  if (!Number.isInteger(minCount) || minCount < 1)
    throw new StaticEmbedError('INVALID_ARGUMENT', `minCount must be a positive integer, got ${minCount}.`);
  const vocab = model.tableRows;
  const counts = new Uint32Array(vocab);
  const { ids } = model.tokenizer.encodeBatch(texts);
  for (let i = 0; i < ids.length; i++) counts[ids[i]!]!++;
  const json = JSON.parse(utf8.decode(tokenizerJsonOf(model))) as Json & {
    model: Json & { vocab: Record<string, number>; unk_token: string };
    added_tokens?: Array<{ id: number }>;
  };
  const keep = new Uint8Array(vocab);
  for (let id = 0; id < vocab; id++) if (counts[id]! >= minCount) keep[id] = 1;
  for (const t of json.added_tokens ?? []) if (t.id < vocab) keep[t.id] = 1;
  const unk = json.model.vocab[json.model.unk_token];
  if (unk !== undefined) keep[unk] = 1;
  const newId = new Int32Array(vocab).fill(-1);
  let n = 0;
  for (let id = 0; id < vocab; id++) if (keep[id]) newId[id] = n++;
  const map = (id: number): number => {
    const m = newId[id];
    if (m === undefined || m < 0)
      throw new StaticEmbedError('INVALID_MODEL', `Token id ${id} is referenced by the tokenizer but was pruned.`);
    return m;
  };
  const vocabOut: Record<string, number> = {};
  for (const [tok, id] of Object.entries(json.model.vocab)) if (id < vocab && keep[id]) vocabOut[tok] = newId[id]!;
  json.model.vocab = vocabOut;
  for (const t of json.added_tokens ?? []) t.id = map(t.id);
  remapPostProcessor(json.post_processor, map);
  const d = model.dim;
  const table = new Float32Array(n * d);
  const source = modelInternals.floatTable(model);
  for (let id = 0; id < vocab; id++) if (keep[id]) table.set(source.subarray(id * d, (id + 1) * d), newId[id]! * d);
  let weights: Float32Array | undefined;
  if (model.weights) {
    weights = new Float32Array(n);
    for (let id = 0; id < vocab; id++) if (keep[id]) weights[newId[id]!] = model.weights[id]!;
  }
  const pruned = rebuildModel(
    model,
    { tokenizer: enc.encode(JSON.stringify(json)), table, dim: d, ...(weights ? { weights } : {}) },
    'embedding.weight',
  );
  return { model: pruned, kept: n, removed: vocab - n };
}
