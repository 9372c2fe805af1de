/**
 * Chunking: exact offsets (text === document.slice(start, end)) for every method on texts in 20 languages and on
 * emoji, CRLF and combining marks; sentence segmentation of unspaced scripts; token limits; options; the CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkText, chunkTexts, splitSentences, type Chunk } from '../../src/index.js';
import { loadDefaultModel } from '../../src/runtime/node/default-model.js';
import { runCli } from '../helpers/cli.js';
import { LANGUAGE_TEXTS } from '../helpers/language-texts.js';

function checkChunks(text: string, chunks: Chunk[], what: string, maxTokens?: number): void {
  let prevStart = -1;
  chunks.forEach((c, i) => {
    assert.equal(c.index, i, `${what}: index`);
    assert.equal(text.slice(c.start, c.end), c.text, `${what}: chunk ${i} offsets`);
    assert.ok(c.text.length > 0 && c.text.trim() === c.text, `${what}: chunk ${i} is trimmed, not empty`);
    assert.ok(c.start > prevStart, `${what}: chunks in order`);
    const first = c.text.codePointAt(0)!;
    assert.ok(!/\p{M}/u.test(String.fromCodePoint(first)), `${what}: chunk ${i} does not start with a mark`);
    if (maxTokens !== undefined) assert.ok(c.tokens <= maxTokens, `${what}: chunk ${i} has ${c.tokens} tokens`);
    prevStart = c.start;
  });
}

test('chunk offsets are exact for every method on 20 languages, emoji, CRLF and combining marks', async () => {
  const model = await loadDefaultModel();
  assert.ok(Object.keys(LANGUAGE_TEXTS).length >= 23);
  for (const [lang, text] of Object.entries(LANGUAGE_TEXTS)) {
    for (const method of ['sentence', 'tokens', 'semantic'] as const) {
      for (const maxTokens of [6, 64]) {
        const overlap = method === 'semantic' ? 0 : 2;
        const chunks = chunkText(model, text, { method, maxTokens, overlap });
        checkChunks(text, chunks, `${lang} ${method} ${maxTokens}`, maxTokens);
        assert.ok(chunks.length > 0);
      }
    }
  }
  // a batch gives what one text at a time gives
  const texts = Object.values(LANGUAGE_TEXTS);
  assert.deepEqual(
    chunkTexts(model, texts, { maxTokens: 32 }),
    texts.map((t) => chunkText(model, t, { maxTokens: 32 })),
  );
});

test('sentences: ICU segmentation, Thai split at spaces between Thai words, spans cover the text', () => {
  for (const [lang, text] of Object.entries(LANGUAGE_TEXTS)) {
    const spans = splitSentences(text);
    assert.equal(spans[0]?.start, 0, lang);
    spans.forEach((s, i) => assert.equal(s.start, i === 0 ? 0 : spans[i - 1]!.end, `${lang} contiguous`));
    assert.equal(spans[spans.length - 1]!.end, text.length, lang);
  }
  const th = splitSentences(LANGUAGE_TEXTS.th!).map((s) => LANGUAGE_TEXTS.th!.slice(s.start, s.end).trim());
  assert.deepEqual(th, ['ประเทศไทยมีประชากรประมาณ 70 ล้านคน', 'กรุงเทพมหานครเป็นเมืองหลวง', 'อาหารไทยมีชื่อเสียงไปทั่วโลก']);
  const ja = splitSentences(LANGUAGE_TEXTS.ja!).length;
  assert.equal(ja, 4);
  // a long text without any sentence end is cut at word boundaries; long inputs stay linear (windows)
  const long = 'word '.repeat(2000);
  const parts = splitSentences(long);
  assert.ok(parts.length >= 8 && parts.every((s) => s.end - s.start <= 1300));
  const many = 'This is one sentence. '.repeat(20000);
  assert.equal(splitSentences(many).length, 20000);
});

test('semantic chunks break between topics; options are checked', async () => {
  const model = await loadDefaultModel();
  const a = 'The cat sleeps on the sofa. Kittens play with wool. Cats purr when they are happy. My cat likes fish.';
  const b = 'The stock market fell today. Investors sold bank shares. Interest rates rose again. Bonds lost value.';
  const text = `${a} ${b}`;
  const chunks = chunkText(model, text, { window: 2, percentile: 50 });
  checkChunks(text, chunks, 'two topics');
  assert.ok(
    chunks.some((c) => c.end === a.length),
    `a break at the seam: ${JSON.stringify(chunks.map((c) => c.text))}`,
  );
  const byThreshold = chunkText(model, text, { threshold: -1 });
  assert.equal(byThreshold.length, 1, 'no boundary is below -1');
  assert.throws(() => chunkText(model, text, { threshold: 0.5, percentile: 50 }), /threshold or percentile/);
  assert.throws(() => chunkText(model, text, { maxTokens: 0 }), /maxTokens must be an integer/);
  assert.throws(() => chunkText(model, text, { overlap: 4 }), /overlap applies/);
  assert.throws(() => chunkText(model, text, { method: 'words' as 'tokens' }), /method must be/);
  assert.deepEqual(chunkText(model, ''), []);
  assert.deepEqual(chunkText(model, ' \n\t '), []);
});

test('static-embed chunk: files, folders, JSONL; JSONL output with exact offsets; errors exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-chunk-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'a.txt'), LANGUAGE_TEXTS.crlf!);
  writeFileSync(join(dir, 'docs', 'b.txt'), LANGUAGE_TEXTS.emoji!);
  writeFileSync(
    join(dir, 'docs.jsonl'),
    JSON.stringify({ id: 'th', text: LANGUAGE_TEXTS.th }) + '\n' + JSON.stringify({ text: LANGUAGE_TEXTS.ar }) + '\n',
  );
  const docs: Record<string, string> = {
    [join(dir, 'docs', 'a.txt')]: LANGUAGE_TEXTS.crlf!,
    [join(dir, 'docs', 'b.txt')]: LANGUAGE_TEXTS.emoji!,
    th: LANGUAGE_TEXTS.th!,
    [`${join(dir, 'docs.jsonl')}:2`]: LANGUAGE_TEXTS.ar!,
  };
  for (const method of ['sentence', 'tokens', 'semantic']) {
    for (const input of [join(dir, 'docs'), join(dir, 'docs.jsonl')]) {
      const r = await runCli(['chunk', '--input', input, '--method', method, '--max-tokens', '8']);
      assert.equal(r.code, 0, r.stderr);
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Chunk & { doc: string });
      assert.ok(rows.length > 2);
      for (const row of rows) {
        assert.deepEqual(Object.keys(row), ['doc', 'index', 'text', 'start', 'end', 'tokens']);
        assert.equal(docs[row.doc]!.slice(row.start, row.end), row.text, `${method} ${row.doc}`);
      }
    }
  }
  const cp = await runCli(['chunk', '--input', join(dir, 'docs', 'b.txt'), '--offsets', 'code-points']);
  const row = JSON.parse(cp.stdout.trim().split('\n').pop()!) as Chunk;
  assert.equal([...LANGUAGE_TEXTS.emoji!].slice(row.start, row.end).join(''), row.text);
  const bad = await runCli(['chunk', '--input', join(dir, 'docs'), '--method', 'words']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--method must be sentence, tokens or semantic/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
