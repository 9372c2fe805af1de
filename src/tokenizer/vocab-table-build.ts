/** Builds tokenizer.vocab.bin (vocab-table.ts) for a tokenizer.json: its fast path's tables, as built from the JSON. */
import { findModelVocab } from './json-scan.js';
import { Tokenizer } from './tokenizer.js';
import { writeVocabTable } from './vocab-table.js';

/** The vocabulary table of a WordPiece tokenizer.json, or undefined when it has no fast path (see Tokenizer). */
export function buildVocabTable(json: Uint8Array): Uint8Array | undefined {
  return vocabTableOf(Tokenizer.fromJSON(json), json);
}

/** The vocabulary table of a tokenizer built from exactly these tokenizer.json bytes (undefined: no fast path). */
export function vocabTableOf(tokenizer: Tokenizer, json: Uint8Array): Uint8Array | undefined {
  const fast = tokenizer.toShared().fast;
  const text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  const span = findModelVocab(text);
  if (!fast || !span || tokenizer.vocabSize === 0) return undefined;
  const encoder = new TextEncoder();
  const vocabStart = encoder.encode(text.slice(0, span.start)).length;
  const vocabEnd = vocabStart + encoder.encode(text.slice(span.start, span.end)).length;
  return writeVocabTable(json, {
    vocabStart,
    vocabEnd,
    maxId: tokenizer.vocabSize - 1,
    unkId: tokenizer.unkId,
    fastUnkId: fast.unkId,
    initMax: fast.initMax,
    contMax: fast.contMax,
    init: fast.init,
    cont: fast.cont,
    lengthCounts: fast.lengthCounts ?? new Uint32Array(1025),
  });
}
