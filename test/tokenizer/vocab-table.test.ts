/**
 * tokenizer.vocab.bin: the embedded model's committed table is the one built from its tokenizer.json; a tokenizer
 * built from a table equals the one scanned from the JSON (ids, vocabulary, unknown token, median token length); a
 * stale or damaged table is ignored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_PATH } from '../../src/runtime/node/default-model.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { VOCAB_TABLE_FILE } from '../../src/tokenizer/vocab-table.js';
import { buildVocabTable } from '../../src/tokenizer/vocab-table-build.js';
import { readJsonl, readLines } from '../helpers/corpus.js';
import { sharedFile } from '../helpers/shared.js';
import { tinyTokenizerJson } from '../helpers/tiny-model.js';

const MODULE = join(DEFAULT_MODEL_PATH, '0_StaticEmbedding');

function assertSameTokenizer(a: Tokenizer, b: Tokenizer, texts: string[], what: string): void {
  assert.equal(a.vocabSize, b.vocabSize, `${what}: vocabSize`);
  assert.equal(a.unkId, b.unkId, `${what}: unkId`);
  assert.equal(a.usesFastPath, b.usesFastPath, `${what}: fast path`);
  assert.equal(a.medianTokenLength(), b.medianTokenLength(), `${what}: median token length`);
  for (const t of texts) assert.deepEqual(a.encode(t), b.encode(t), `${what}: ${JSON.stringify(t.slice(0, 40))}`);
  assert.deepEqual(a.vocabTokens().sort(), b.vocabTokens().sort(), `${what}: vocabulary`);
}

test('the embedded model: its committed tokenizer.vocab.bin is built from its tokenizer.json, and the loader uses it', () => {
  const json = readFileSync(join(MODULE, 'tokenizer.json'));
  const committed = readFileSync(join(MODULE, VOCAB_TABLE_FILE));
  const built = buildVocabTable(json);
  assert.ok(built, 'the embedded tokenizer.json has a WordPiece vocabulary object');
  assert.ok(
    Buffer.from(built).equals(committed),
    `models/default/0_StaticEmbedding/${VOCAB_TABLE_FILE} is stale (tokenizer.json changed since it was built): ` +
      'rebuild it with `npm run build && node scripts/make-vocab-table.mjs`',
  );
  assert.ok(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable);
});

test('tokenizers built from a vocabulary table = scanned from tokenizer.json (ids, vocabulary, unk, median length)', (t) => {
  const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
  if (!s || !corpus) return;
  const texts = [...readJsonl<{ text: string }>(s).map((r) => r.text), ...readLines(corpus).slice(0, 1500)];
  const files = [join(MODULE, 'tokenizer.json')];
  for (const f of [
    'mbert-uncased/tokenizer.json',
    'mbert-uncased/tokenizer.legacy-schema.json',
    'mbert-cased/tokenizer.json',
    'bert-base-uncased/tokenizer.json',
  ]) {
    const p = sharedFile(t, `tokenizers/${f}`);
    if (!p) return;
    files.push(p);
  }
  for (const file of files) {
    const json = readFileSync(file);
    const table = buildVocabTable(json)!;
    const fromTable = Tokenizer.fromJSON(json, { vocabTable: table });
    assert.ok(fromTable.usesVocabTable, file);
    assertSameTokenizer(fromTable, Tokenizer.fromJSON(json), texts, file);
  }
});

test('keys with JSON escapes, surrogate pairs and ids out of order give the same tokenizer', () => {
  const j = JSON.parse(tinyTokenizerJson()) as { model: { vocab: Record<string, number> } };
  const extra = ['quo"te', 'back\\slash', 'tab\there', 'caf\u00e9', '\u{1f600}', '##\u{1f600}', '日本', '##語'];
  j.model.vocab = Object.fromEntries([
    ...Object.entries(j.model.vocab).reverse(),
    ...extra.map((k, i) => [k, 100 - 7 * i] as const),
  ]);
  const json = new TextEncoder().encode(JSON.stringify(j, null, 1).replace('"caf\u00e9"', '"caf\\u00e9"'));
  const table = buildVocabTable(json)!;
  const a = Tokenizer.fromJSON(json, { vocabTable: table });
  assert.ok(a.usesVocabTable);
  assertSameTokenizer(a, Tokenizer.fromJSON(json), ['quo"te café 😀😀 日本語 hello worlds', 'back\\slash'], 'escapes');
  assert.equal(a.tokenToId('quo"te'), 100);
});

test('a stale, damaged or foreign table is ignored: the tokenizer is built from tokenizer.json', () => {
  const json = new TextEncoder().encode(tinyTokenizerJson());
  const table = buildVocabTable(json)!;
  const edited = new TextEncoder().encode(tinyTokenizerJson().replace('"good"', '"gold"'));
  const damaged = table.slice();
  damaged[damaged.length - 1]! ^= 1;
  for (const [what, j, tab] of [
    ['stale', edited, table],
    ['damaged', json, damaged],
    ['truncated', json, table.subarray(0, table.length - 3)],
    ['empty', json, new Uint8Array(0)],
  ] as const) {
    const tok = Tokenizer.fromJSON(j, { vocabTable: tab });
    assert.equal(tok.usesVocabTable, false, what);
    assert.deepEqual(tok.encode('good gold day'), Tokenizer.fromJSON(j).encode('good gold day'), what);
  }
});

test('a repeated key keeps its last id, from a table as from the JSON', () => {
  const json = new TextEncoder().encode(tinyTokenizerJson().replace('"day":7', '"day":7,"day":6'));
  const fromTable = Tokenizer.fromJSON(json, { vocabTable: buildVocabTable(json)! });
  assert.ok(fromTable.usesVocabTable);
  assertSameTokenizer(fromTable, Tokenizer.fromJSON(json), ['good day', 'day day'], 'repeated key');
});
