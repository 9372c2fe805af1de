/** `static-embed encode`, `similarity` and `info` as a new user tries them. */
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StaticModel } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { readNpy } from '../helpers/npy.js';
import { benchModel, sharedFile } from '../helpers/shared.js';
import { once } from '../helpers/once.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'se-enc-'));
const modelDir = join(dir, 'tiny');
for (const [p, b] of Object.entries(tinyModelFiles())) {
  mkdirSync(dirname(join(modelDir, p)), { recursive: true });
  writeFileSync(join(modelDir, p), b);
}
const model = StaticModel.fromBytes(tinyModelFiles());
const input = join(dir, 'in.txt');
writeFileSync(input, 'hello worlds!\n\ngood day\n');

test('encode → jsonl: one {"embedding"} per line, equal to model.encode', async () => {
  const r = await runCli(['encode', '--model', modelDir, '--input', input]);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout
    .trimEnd()
    .split('\n')
    .map((l) => (JSON.parse(l) as { embedding: number[] }).embedding);
  assert.deepEqual(rows, model.encode(['hello worlds!', '', 'good day']).toArrays());
});

describe('encode → npy', () => {
  test('a file, with --dim and --normalize', async () => {
    const out = join(dir, 'e.npy');
    const r = await runCli([
      'encode',
      '--model',
      modelDir,
      '--input',
      input,
      '--format',
      'npy',
      '--output',
      out,
      '--dim',
      '2',
      '--normalize',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const a = readNpy(out);
    assert.deepEqual(a.shape, [3, 2]);
    const expected = model.encode(['hello worlds!', '', 'good day'], { truncateDim: 2, normalize: true });
    assert.deepEqual([...a.data], [...expected.data]);
  });

  test('on stdout (--output -)', async () => {
    const s = await runCli(['encode', '--model', modelDir, '--format', 'npy', '--output', '-'], 'hello\nworld\n');
    assert.equal(s.code, 0, s.stderr);
    writeFileSync(join(dir, 's.npy'), s.stdout, 'latin1');
  });
});

test('encode of the benchmark corpus (32-d fp16 benchmark model) writes a correct npy', async (t) => {
  const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
  const golden = sharedFile(t, 'fixtures/bench-golden/st-mbert-32d-f16.fp32-accum.npy');
  if (!corpus || !golden) return;
  const bench = benchModel(t, 'st-mbert-32d-f16');
  if (!bench) return;
  const out = join(dir, 'corpus.npy');
  const r = await runCli(['encode', '--model', bench, '--input', corpus, '--format', 'npy', '--output', out]);
  assert.equal(r.code, 0, r.stderr);
  const a = readNpy(out),
    g = readNpy(golden);
  assert.deepEqual(a.shape, [97456, 32]);
  let worst = 0;
  for (let i = 0; i < g.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - g.data[i]!));
  assert.ok(worst < 1e-5, `first 1000 rows vs golden: ${worst}`);
});

describe('similarity and info', () => {
  test('similarity prints a readable table', async () => {
    const r = await runCli(['similarity', '--model', modelDir, 'hello world', 'hello worlds', 'good day']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /cosine similarity \(4 dims\)/);
    assert.match(r.stdout, /\[1\]\s+hello world\s+1\.0000/);
  });

  test('similarity --json prints the matrix', async () => {
    const j = await runCli(['similarity', '--model', modelDir, '--json', 'hello', 'world']);
    const parsed = JSON.parse(j.stdout) as { similarity: number[][] };
    assert.equal(parsed.similarity.length, 2);
  });

  test('info describes the model', async () => {
    const i = await runCli(['info', '--model', modelDir]);
    assert.equal(i.code, 0, i.stderr);
    assert.match(i.stdout, /layout\s+sentence-transformers/);
    assert.match(i.stdout, /vocabulary\s+8 tokens/);
    assert.match(i.stdout, /table\s+8 rows × 4 dims/);
  });
});

test('clear errors: no texts, bad --format, bad --dim, missing model folder', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['similarity', '--model', modelDir], /give two or more texts to compare, got none/],
    [
      ['similarity', '--model', modelDir, 'one'],
      /give two or more texts to compare, got one \("one"\).*static-embed encode/,
    ],
    [['encode', '--model', modelDir, '--format', 'csv', '--input', input], /--format must be jsonl or npy/],
    [['encode', '--model', modelDir, '--dim', 'x', '--input', input], /--dim must be an integer/],
    [['info', '--model', join(dir, 'nope')], /No folder at .*nope, and it is not a Hub id/],
    [['info', '--model', dir], /No known model layout fits/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

describe('encode --workers', () => {
  // both runs once, for the tests below (after each test's check for ../shared)
  const runs = once(async ([corpus, model16]: [string, string]) => {
    const small = join(dir, 'corpus-small.txt');
    writeFileSync(small, readFileSync(corpus, 'utf8').split('\n').slice(0, 30_000).join('\n') + '\n');
    const a = join(dir, 'w1.npy'),
      b = join(dir, 'w2.npy');
    const r1 = await runCli(['encode', '--model', model16, '--input', small, '--output', a, '--workers', '1']);
    const r2 = await runCli([
      'encode',
      '--model',
      model16,
      '--input',
      small,
      '--output',
      b,
      '--workers',
      '2',
      '--batch-size',
      '5000',
    ]);
    return { r1, r2, a, b };
  });
  const gated = (t: TestContext): [string, string] | undefined => {
    const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
    const model16 = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
    return corpus && model16 ? [corpus, model16] : undefined;
  };

  test('--workers 2 writes the same bytes as --workers 1', async (t) => {
    const files = gated(t);
    if (!files) return;
    const { r1, r2, a, b } = await runs(files);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(r2.code, 0, r2.stderr);
    assert.ok(readFileSync(a).equals(readFileSync(b)));
    assert.deepEqual(readNpy(a).shape, [30_000, 16]);
  });

  test('no progress output when not a terminal', async (t) => {
    const files = gated(t);
    if (!files) return;
    const { r1 } = await runs(files);
    assert.equal(r1.stderr, '');
  });
});

describe('similarity notes', () => {
  test('texts with no token the model knows (empty, only [UNK]) get a note on stderr', async () => {
    const r = await runCli(['similarity', '', '😀', 'the weather is nice']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /note: text \[1\] "" has no token the model knows \(no tokens at all\)/);
    assert.match(r.stderr, /note: text \[2\] "😀" has no token the model knows \(only \[UNK\]\)/);
    assert.doesNotMatch(r.stderr, /text \[3\]/);
  });

  test('known texts get no note', async () => {
    const ok = await runCli(['similarity', 'hello', 'world']);
    assert.equal(ok.stderr, '');
  });
});
