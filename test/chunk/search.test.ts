/** Search into documents: search --corpus … --chunk, index build --chunk then index search, VectorIndex metadata. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, VectorIndex, chunkText } from '../../src/index.js';
import { loadDefaultModel } from '../../src/runtime/node/default-model.js';
import { runCli } from '../helpers/cli.js';

const CATS =
  'Cats are small domestic animals. A cat sleeps most of the day on the sofa. Kittens love to play with wool. ' +
  'Many cats purr when they are happy and well fed.';
const MARKETS =
  'The stock market fell sharply on Monday. Investors sold bank shares after the central bank raised interest ' +
  'rates. Bond prices dropped as well.';
const RECIPES = 'Mix flour, eggs and milk into a smooth batter. Fry thin pancakes in a hot pan with butter.';

function corpus(): { dir: string; docs: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'se-chunk-search-'));
  mkdirSync(join(dir, 'docs'));
  const a = `${CATS}\n\n${MARKETS}\n`,
    b = `${RECIPES}\r\n${CATS}`;
  writeFileSync(join(dir, 'docs', 'a.txt'), a);
  writeFileSync(join(dir, 'docs', 'b.txt'), b);
  return { dir, docs: { [join(dir, 'docs', 'a.txt')]: a, [join(dir, 'docs', 'b.txt')]: b } };
}

type Hit = { doc: string; index: number; start: number; end: number; score: number; text: string };

test('search --corpus DIR --chunk semantic: hits name the document, offsets and chunk', async () => {
  const { dir, docs } = corpus();
  for (const method of ['semantic', 'sentence', 'tokens']) {
    const r = await runCli([
      'search',
      '--corpus',
      join(dir, 'docs'),
      '--chunk',
      method,
      '--max-tokens',
      '40',
      '--query',
      'interest rates and the stock market',
      '--top-k',
      '3',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [res] = JSON.parse(r.stdout) as Array<{ query: string; hits: Hit[] }>;
    assert.equal(res!.hits.length, 3);
    for (const h of res!.hits) assert.equal(docs[h.doc]!.slice(h.start, h.end), h.text, `${method}: offsets`);
    const top = res!.hits[0]!;
    assert.ok(/stock|bank|Bond/.test(top.text), `${method}: the market chunk first, got ${top.text}`);
    assert.equal(top.doc, join(dir, 'docs', 'a.txt'));
  }
  const text = await runCli([
    'search',
    '--corpus',
    join(dir, 'docs', 'a.txt'),
    '--chunk',
    'semantic',
    '--query',
    'kittens',
  ]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /a\.txt \[\d+, \d+\) /);
  const bad = await runCli(['search', '--corpus', join(dir, 'docs'), '--chunk', 'pages', '--query', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--chunk must be sentence, tokens or semantic/);
});

test('index build --chunk, then index search: hits with document and offsets', async () => {
  const { dir, docs } = corpus();
  const db = join(dir, 'db');
  const b = await runCli([
    'index',
    'build',
    '--input',
    join(dir, 'docs'),
    '--db',
    db,
    '--chunk',
    'semantic',
    '--quiet',
  ]);
  assert.equal(b.code, 0, b.stderr);
  const s = await runCli(['index', 'search', '--db', db, '--query', 'pancakes with butter', '--top-k', '2', '--json']);
  assert.equal(s.code, 0, s.stderr);
  const hits = JSON.parse(s.stdout) as Array<Hit & { id: string }>;
  assert.equal(hits.length, 2);
  for (const h of hits) assert.equal(docs[h.doc]!.slice(h.start, h.end), h.text);
  assert.match(hits[0]!.text, /pancakes/);
  assert.equal(hits[0]!.doc, join(dir, 'docs', 'b.txt'));
  const t = await runCli(['index', 'search', '--db', db, '--query', 'pancakes']);
  assert.match(t.stdout, /b\.txt \[\d+, \d+\) /);
});

test('VectorIndex keeps metadata: chunks in, their document and offsets out with the hits', async () => {
  const model = await loadDefaultModel();
  const text = `${CATS} ${MARKETS} ${RECIPES}`;
  const chunks = chunkText(model, text, { method: 'sentence', maxTokens: 24 });
  const index = VectorIndex.build(model.encode(chunks.map((c) => c.text)), {
    metadata: chunks.map((c) => ({ doc: 'd', start: c.start, end: c.end })),
  });
  const [hits] = index.search(model.encode(['kittens playing']), { topK: 2 });
  for (const h of hits!) assert.equal(text.slice(h.metadata!.start, h.metadata!.end), chunks[h.corpusId]!.text);
  assert.throws(() => VectorIndex.build(new Matrix(2, 2), { metadata: [1] }), /one entry per row/);
  const plain = VectorIndex.build(model.encode(['a', 'b']));
  assert.equal(plain.search(model.encode(['a']))[0]![0]!.metadata, undefined);
});

test('encode --per-token: JSONL of ids, code-point offsets and token vectors (as encodeTokens)', async () => {
  const model = await loadDefaultModel();
  const texts = ['Hello world!', 'naïve 😀 café'];
  const r = await runCli(['encode', '--per-token'], texts.join('\n'));
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { ids: number[]; offsets: Array<[number, number]>; vectors: number[][] });
  const want = model.encodeTokens(texts);
  rows.forEach((row, i) => {
    assert.deepEqual(row.ids, [...want[i]!.ids]);
    assert.deepEqual(
      row.offsets,
      [...want[i]!.starts].map((s, k) => [s, want[i]!.ends[k]]),
    );
    row.vectors.forEach((v, k) => assert.deepEqual(v.map(Math.fround), [...want[i]!.vectors.row(k)]));
  });
  const bad = await runCli(['encode', '--per-token', '--format', 'npy'], 'x');
  assert.equal(bad.code, 2);
});
