/**
 * The CLI tasks' peak memory (RSS of the process) on generated inputs: it does not grow with what they stream —
 * search's queries (300,000 cost about what 3,000 do), the corpus of one huge line (no more than encode) — and mine
 * and cluster stay within their stated bounds, far under 700 MB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCliRss } from '../helpers/rss.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'se-memory-'));
const model = join(dir, 'tiny');
for (const [p, b] of Object.entries(tinyModelFiles())) {
  mkdirSync(dirname(join(model, p)), { recursive: true });
  writeFileSync(join(model, p), b);
}
const WORDS = ['hello', 'world', 'good', 'day', 'worlds', '!'];
/** `n` lines of 1–5 of the tiny model's words, varied by the line number. */
function lines(name: string, n: number, same = false): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(same ? 'good day' : Array.from({ length: 1 + (i % 5) }, (_, k) => WORDS[(i * 7 + k * 3) % 6]).join(' '));
  const p = join(dir, name);
  writeFileSync(p, out.join('\n') + '\n');
  return p;
}
const LIMIT_MB = 700;

test('search --queries streams the queries: 300,000 queries take about the memory of 3,000', async () => {
  const corpus = lines('corpus.txt', 2000);
  const run = (queries: string) =>
    runCliRss(['search', '--model', model, '--corpus', corpus, '--queries', queries, '--top-k', '3', '--json'], 0);
  const small = await run(lines('q-small.txt', 3000));
  const big = await run(lines('q-big.txt', 300_000));
  assert.equal(small.code, 0, small.stderr);
  assert.equal(big.code, 0, big.stderr);
  assert.ok(big.stdoutBytes > 300_000 * 100, 'every query has its hits');
  assert.ok(big.rssMB < LIMIT_MB, `${big.rssMB.toFixed(0)} MB`);
  assert.ok(
    big.rssMB - small.rssMB < 120,
    `300,000 queries: ${big.rssMB.toFixed(0)} MB, 3,000: ${small.rssMB.toFixed(0)} MB`,
  );
});

test('search --corpus of one 10 MB line costs no more memory than encode of it', async () => {
  const huge = join(dir, 'huge.txt');
  writeFileSync(huge, 'hello world good day '.repeat(500_000) + '\n');
  const encode = await runCliRss(['encode', '--model', model, '--input', huge, '--workers', '1'], 0);
  const search = await runCliRss(['search', '--model', model, '--corpus', huge, '--query', 'hello', '--workers', '1']);
  assert.equal(encode.code, 0, encode.stderr);
  assert.equal(search.code, 0, search.stderr);
  assert.match(search.stdout, /1\. .*\[1\] hello world good day hello world/);
  assert.ok(
    search.rssMB < encode.rssMB * 1.15 + 32,
    `search ${search.rssMB.toFixed(0)} MB, encode ${encode.rssMB.toFixed(0)} MB`,
  );
});

test('mine of 20,000 identical lines (ties everywhere) and cluster of 300,000 lines stay far under 700 MB', async () => {
  const same = lines('same.txt', 20_000, true);
  const m = await runCliRss(['mine', '--model', model, '--input', same, '--max-pairs', '1000', '--json'], 0);
  assert.equal(m.code, 0, m.stderr);
  assert.ok(m.rssMB < LIMIT_MB, `mine: ${m.rssMB.toFixed(0)} MB`);
  const c = await runCliRss(
    ['cluster', '--model', model, '--input', lines('many.txt', 300_000), '--k', '8', '--json'],
    0,
  );
  assert.equal(c.code, 0, c.stderr);
  assert.ok(c.rssMB < LIMIT_MB, `cluster: ${c.rssMB.toFixed(0)} MB`);
});
