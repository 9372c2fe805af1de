/**
 * Token offsets identical to the Rust `tokenizers` library's `encoding.offsets` (code points), for every golden
 * tokenizer, on the fuzz strings and the first 2,000 corpus lines. Goldens: scripts/make-offset-goldens.py.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { Tokenizer, toCodePointOffsets } from '../../src/entries/tokenizer.js';
import { readJsonl, readLines } from '../helpers/corpus.js';
import { repoFile, sharedFile } from '../helpers/shared.js';
import { loadGoldenTokenizer, manifest } from './tokenizers.js';

function offsetsHash(starts: Uint32Array, ends: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < starts.length; i++) {
    h = Math.imul(h ^ starts[i]!, 0x01000193);
    h = Math.imul(h ^ ends[i]!, 0x01000193);
  }
  return Math.imul(h ^ starts.length, 0x01000193) >>> 0;
}

function load(t: TestContext, name: string): Tokenizer | undefined {
  if (name === 'bpe-bytelevel-trim') {
    const json = JSON.parse(readFileSync(repoFile('test/fixtures/tokenizers/bpe-bytelevel.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    json.post_processor = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true };
    return Tokenizer.fromJSON(json);
  }
  if (name === 'm2v-vocab-quantized') {
    const p = sharedFile(t, 'fixtures/model2vec-rs/test-model-vocab-quantized/tokenizer.json');
    return p ? Tokenizer.fromJSON(readFileSync(p)) : undefined;
  }
  return loadGoldenTokenizer(t, name);
}

const names = [...Object.keys(manifest.tokenizers), 'bpe-bytelevel-trim', 'm2v-vocab-quantized'];
const fuzz = readJsonl<{ text: string }>(repoFile('test/golden/fuzz.jsonl')).map((r) => r.text);

for (const name of names) {
  test(`offsets: ${name} equals the reference on the fuzz set and 2,000 corpus lines`, (t) => {
    const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
    const tok = load(t, name);
    if (!corpus || !tok) return;
    const texts = [...fuzz, ...readLines(corpus).slice(0, 2000)];
    const hashes = new Uint32Array(new Uint8Array(readFileSync(repoFile(`test/golden/offsets/${name}.u32`))).buffer);
    assert.equal(hashes.length, texts.length);
    const bad: string[] = [];
    texts.forEach((text, i) => {
      const { ids, starts, ends } = tok.encodeWithOffsets(text);
      assert.deepEqual([...ids], [...tok.encode(text)], `${name}: ids of ${JSON.stringify(text.slice(0, 60))}`);
      for (let k = 0; k < ids.length; k++) assert.ok(starts[k]! <= ends[k]! && ends[k]! <= text.length);
      const h = offsetsHash(toCodePointOffsets(text, starts), toCodePointOffsets(text, ends));
      if (h !== hashes[i]) bad.push(`${i}: ${JSON.stringify(text.slice(0, 60))}`);
    });
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} texts with other offsets than the reference`);
  });
}

test('offsets: special tokens on request have empty offsets at 0', (t) => {
  const tok = loadGoldenTokenizer(t, 'mbert-uncased');
  if (!tok) return;
  const r = tok.encodeWithOffsets('Hello world', { addSpecialTokens: true });
  assert.deepEqual([...r.starts], [0, 0, 6, 0]);
  assert.deepEqual([...r.ends], [0, 5, 11, 0]);
});

test('offsets: the synthetic fixture sentences have the reference offsets (code points)', (t) => {
  const sentences = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  const golden = sharedFile(t, 'fixtures/synthetic-mbert-16d/tokenization.jsonl');
  const tok = loadGoldenTokenizer(t, 'mbert-uncased');
  if (!sentences || !golden || !tok) return;
  const texts = readJsonl<{ text: string }>(sentences).map((r) => r.text);
  const rows = readJsonl<{ offsets: Array<[number, number]> }>(golden);
  texts.forEach((text, i) => {
    const r = tok.encodeWithOffsets(text);
    const s = toCodePointOffsets(text, r.starts),
      e = toCodePointOffsets(text, r.ends);
    assert.deepEqual(
      [...s].map((a, k) => [a, e[k]]),
      rows[i]!.offsets,
      `sentence ${i}`,
    );
  });
});
