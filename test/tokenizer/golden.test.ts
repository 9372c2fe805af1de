/**
 * Token ids identical to the Rust `tokenizers` library (encode_batch, add_special_tokens=False): the synthetic
 * fixture sentences, a seeded fuzz set, and every line of the benchmark corpus for each golden tokenizer.
 * Goldens: scripts/make-tokenizer-goldens.py. The fast BERT path is also checked against the generic pipeline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IdBuffer } from '../../src/entries/tokenizer.js';
import { readJsonl, readLines } from '../helpers/corpus.js';
import { idsHash } from '../helpers/ids-hash.js';
import { repoFile, sharedFile } from '../helpers/shared.js';
import { loadGoldenTokenizer, manifest } from './tokenizers.js';

const names = Object.keys(manifest.tokenizers);

test('synthetic fixture sentences: ids and ids with special tokens equal the reference', (t) => {
  const sentences = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  const golden = sharedFile(t, 'fixtures/synthetic-mbert-16d/tokenization.jsonl');
  const tok = loadGoldenTokenizer(t, 'mbert-uncased');
  if (!sentences || !golden || !tok) return;
  const texts = readJsonl<{ id: number; text: string }>(sentences);
  const rows = readJsonl<{ id: number; ids: number[]; ids_with_special: number[] }>(golden);
  assert.equal(texts.length, rows.length);
  assert.ok(texts.length >= 394);
  const batch = tok.encodeBatch(texts.map((r) => r.text));
  for (let i = 0; i < texts.length; i++) {
    const ids = [...batch.ids.subarray(batch.offsets[i]!, batch.offsets[i + 1]!)];
    assert.deepEqual(ids, rows[i]!.ids, `sentence ${i}: ${JSON.stringify(texts[i]!.text)}`);
    assert.deepEqual(
      [...tok.encode(texts[i]!.text, { addSpecialTokens: true })],
      rows[i]!.ids_with_special,
      `sentence ${i} with special tokens`,
    );
  }
});

const fuzz = readJsonl<Record<string, unknown> & { text: string }>(repoFile('test/golden/fuzz.jsonl'));

for (const name of names) {
  test(`fuzz set (${fuzz.length} strings): ${name} equals the reference`, (t) => {
    const tok = loadGoldenTokenizer(t, name);
    if (!tok) return;
    let checked = 0;
    for (const row of fuzz) {
      const expected = row[name] as number[];
      assert.deepEqual([...tok.encode(row.text)], expected, `${name}: ${JSON.stringify(row.text)}`);
      checked++;
    }
    assert.equal(checked, fuzz.length);
  });
}

for (const name of names) {
  test(`benchmark corpus: ${name} equals the reference on every line`, (t) => {
    const corpusPath = sharedFile(t, 'corpus/bench-corpus.txt');
    const tok = loadGoldenTokenizer(t, name);
    if (!corpusPath || !tok) return;
    const entry = manifest.tokenizers[name]!;
    const sha = createHash('sha256').update(readFileSync(corpusPath)).digest('hex');
    assert.equal(sha, manifest.corpus_sha256, 'the shared corpus changed: rerun scripts/make-tokenizer-goldens.py');
    if (entry.sha256) {
      const tsha = createHash('sha256')
        .update(readFileSync(repoFile(entry.source)))
        .digest('hex');
      assert.equal(tsha, entry.sha256, `${entry.source} changed: rerun scripts/make-tokenizer-goldens.py`);
    }
    const lines = readLines(corpusPath).slice(0, entry.lines);
    const hashes = new Uint32Array(new Uint8Array(readFileSync(repoFile(`test/golden/corpus/${name}.u32`))).buffer);
    assert.equal(hashes.length, lines.length);
    const batch = tok.encodeBatch(lines);
    assert.equal(batch.ids.length, entry.total_ids, 'total number of ids');
    const bad: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (idsHash(batch.ids, batch.offsets[i], batch.offsets[i + 1]) !== hashes[i]) {
        bad.push(
          `line ${i + 1}: ${JSON.stringify(lines[i]!.slice(0, 80))} → ` +
            `${[...batch.ids.subarray(batch.offsets[i]!, batch.offsets[i + 1]!)].slice(0, 30).join(' ')}`,
        );
      }
    }
    assert.deepEqual(
      bad.slice(0, 10),
      [],
      `${bad.length} lines differ (check one with ../shared/tools/make-token-golden.py)`,
    );
  });
}

test('the fast BERT path equals the generic pipeline on the corpus', (t) => {
  const corpusPath = sharedFile(t, 'corpus/bench-corpus.txt');
  const tok = loadGoldenTokenizer(t, 'mbert-uncased');
  if (!corpusPath || !tok) return;
  assert.ok(tok.usesFastPath);
  const lines = readLines(corpusPath).filter((_, i) => i % 7 === 0);
  for (const line of lines) {
    const slow = new IdBuffer();
    tok.encodeGeneric(line, slow);
    assert.deepEqual([...tok.encode(line)], [...slow.toArray()], JSON.stringify(line));
  }
});
