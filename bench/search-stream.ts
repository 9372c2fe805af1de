/**
 * `static-embed search --corpus` streaming a large corpus (the benchmark corpus ×30, 2.9M lines) against `encode`
 * of the same file, side by side (interleaved runs, medians; peak RSS from GNU time), 32-d benchmark model.
 * Writes the "search-stream" section of bench/RESULTS.md.
 *
 * node dist/bench/search-stream.js [--models DIR] [--copies N] [--runs N] [--queries N]
 */
import { createWriteStream, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, median, option, repoRoot, timeChild, writeSection } from './lib.js';

const root = repoRoot();
const modelPath = join(option('models', '/tmp/bench-models')!, 'st-mbert-32d-f16');
const copies = Number(option('copies', '30')),
  runs = Number(option('runs', '2')),
  nQueries = Number(option('queries', '1'));
const source = join(root, '..', 'shared', 'corpus', 'bench-corpus.txt');
const corpus = join(tmpdir(), `se-bench-corpus-x${copies}.txt`);
if (!existsSync(corpus)) {
  const text = readFileSync(source);
  const out = createWriteStream(corpus);
  for (let c = 0; c < copies; c++) out.write(text);
  await new Promise((r) => out.end(r));
}
const lines = readFileSync(source, 'utf8').split('\n');
const queryArgs = Array.from({ length: nQueries }, (_, i) => [
  '--query',
  lines[(i * 7919 + 11) % lines.length]!,
]).flat();
const bin = join(root, 'bin', 'static-embed.js'),
  npyOut = join(tmpdir(), 'se-bench-stream.npy');
const enc: Array<{ s: number; rss: number }> = [],
  srch: Array<{ s: number; rss: number }> = [];
for (let r = 0; r < runs; r++) {
  const e = await timeChild(process.execPath, [
    bin,
    'encode',
    '--model',
    modelPath,
    '--input',
    corpus,
    '--format',
    'npy',
    '--output',
    npyOut,
    '--overwrite',
    '--quiet',
  ]);
  const s = await timeChild(process.execPath, [
    bin,
    'search',
    '--model',
    modelPath,
    '--corpus',
    corpus,
    ...queryArgs,
    '--json',
    '--quiet',
  ]);
  if (e.code !== 0 || s.code !== 0) throw new Error(`a run failed: ${e.stderr.slice(-400)} ${s.stderr.slice(-400)}`);
  enc.push({ s: e.seconds, rss: e.peakRssMb });
  srch.push({ s: s.seconds, rss: s.peakRssMb });
  console.log(
    `run ${r + 1}: encode ${e.seconds.toFixed(1)} s (${e.peakRssMb.toFixed(0)} MB), search ${s.seconds.toFixed(1)} s (${s.peakRssMb.toFixed(0)} MB)`,
  );
}
rmSync(npyOut, { force: true });
const te = median(enc.map((x) => x.s)),
  ts = median(srch.map((x) => x.s));
const lineCount = (lines.length - (lines.at(-1) === '' ? 1 : 0)) * copies;
const body = `## Streaming search over a large corpus (issue 18)

Command: \`npm run build && node dist/bench/search-stream.js\`. Machine: ${machine()} (shared with other jobs). Date: ${new Date().toISOString().slice(0, 10)}.
The benchmark corpus ×${copies} (${lineCount.toLocaleString('en-US')} lines), 32-d benchmark model, all cores; medians of ${runs} interleaved runs, \
peak RSS the largest seen.

| command | median s | peak RSS MB |
|---|---:|---:|
| \`static-embed encode --format npy --output FILE\` | ${te.toFixed(1)} | ${Math.max(...enc.map((x) => x.rss)).toFixed(0)} |
| \`static-embed search --corpus FILE\` (${nQueries} quer${nQueries === 1 ? 'y' : 'ies'}, top-10, --json) | ${ts.toFixed(1)} | \
${Math.max(...srch.map((x) => x.rss)).toFixed(0)} |

Search takes **${(ts / te).toFixed(2)}×** the time of encoding the same file: the corpus is read, encoded and scored batch by batch, and only
the best rows per query (with their texts) are kept.`;
console.log(body);
console.log('wrote', writeSection('search-stream', body));
