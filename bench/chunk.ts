/**
 * Chunk boundaries and chunking speed on one core: static-embed `semantic` vs fixed token windows vs Chonkie's
 * SemanticChunker (same model, through model2vec), and npm `semantic-chunking`. Writes the "chunk" section of RESULTS.md.
 *
 * node dist/bench/chunk.js [--python PY] [--runs N] [--docs N] [--tune]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkTexts, loadDefaultModel, splitSentences, type ChunkOptions } from '../src/node.js';
import type { StaticModel } from '../src/model/static-model.js';
import { corpusPassages, makeDocs, stsbPassages, type BenchDoc } from './chunk-data.js';
import { loadNote, machine, median, option, repoRoot } from './lib.js';
import { chunkSection, type Row } from './chunk-report.js';

const root = repoRoot();
const shared = join(root, '..', 'shared');
const python = option('python', '/tmp/static-embed-ref/bin/python')!;
const runs = Number(option('runs', '3'));
const perLang = Number(option('docs', '12'));
const MAX_TOKENS = 512;

// one core for everything measured here (the Python peer inherits the affinity)
if (!process.env.SE_BENCH_PINNED && existsSync('/usr/bin/taskset')) {
  const r = spawnSync('/usr/bin/taskset', ['-c', '0', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, SE_BENCH_PINNED: '1', OMP_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' },
  });
  process.exit(r.status ?? 1);
}

/** Boundary matches of one document: predicted starts against the seams, within one sentence (reference units). */
function score(doc: BenchDoc, predicted: number[]): { tp: number; np: number; ns: number } {
  const refs = [...new Set([...splitSentences(doc.text).map((s) => s.end), ...doc.seams])].sort((a, b) => a - b);
  const unit = (p: number): number => {
    let best = 0;
    for (let i = 1; i < refs.length; i++) if (Math.abs(refs[i]! - p) < Math.abs(refs[best]! - p)) best = i;
    return best;
  };
  const pu = predicted.map(unit),
    used = new Set<number>();
  let tp = 0;
  for (const s of doc.seams) {
    const su = unit(s);
    let best = -1;
    for (let i = 0; i < pu.length; i++) {
      const d = Math.abs(pu[i]! - su);
      if (!used.has(i) && d <= 1 && (best < 0 || d < Math.abs(pu[best]! - su))) best = i;
    }
    if (best >= 0) {
      used.add(best);
      tp++;
    }
  }
  return { tp: Math.min(tp, doc.seams.length), np: predicted.length, ns: doc.seams.length };
}

function f1(docs: BenchDoc[], starts: number[][], filter: (d: BenchDoc) => boolean = () => true): number {
  let tp = 0,
    np = 0,
    ns = 0;
  docs.forEach((d, i) => {
    if (!filter(d)) return;
    const s = score(d, starts[i]!);
    tp += s.tp;
    np += s.np;
    ns += s.ns;
  });
  const p = np ? tp / np : 0,
    r = ns ? tp / ns : 0;
  return p + r ? (2 * p * r) / (p + r) : 0;
}

/** static-embed's chunk starts after the first (UTF-16), and the median seconds of `runs` passes. */
function ours(
  model: StaticModel,
  docs: BenchDoc[],
  options: ChunkOptions,
  n = runs,
): { starts: number[][]; s: number } {
  const texts = docs.map((d) => d.text);
  chunkTexts(model, texts.slice(0, 4), options);
  const times: number[] = [];
  let out: number[][] = [];
  for (let r = 0; r < n; r++) {
    const t0 = performance.now();
    const chunks = chunkTexts(model, texts, options);
    times.push((performance.now() - t0) / 1000);
    out = chunks.map((cs) => cs.slice(1).map((c) => c.start));
  }
  return { starts: out, s: median(times) };
}

/** Code-point offsets of a text → UTF-16 offsets. */
function utf16Of(text: string, cps: number[]): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) if ((text.charCodeAt(i) & 0xfc00) !== 0xdc00) at.push(i);
  at.push(text.length);
  return cps.map((c) => at[c]!);
}

/** Chonkie's SemanticChunker through model2vec on a model2vec copy of the default model (static-embed convert). */
function chonkie(docs: BenchDoc[]): { starts: number[][]; s: number; version: string } | string {
  const dir = join(tmpdir(), 'se-bench-default-m2v');
  if (!existsSync(join(dir, 'config.json')))
    execFileSync(process.execPath, [
      join(root, 'bin', 'static-embed.js'),
      'convert',
      '--model',
      'static-embed-default',
      '--out',
      dir,
      '--layout',
      'model2vec',
    ]);
  const docsPath = join(tmpdir(), 'se-bench-chunk-docs.json');
  writeFileSync(docsPath, JSON.stringify(docs.map((d) => d.text)));
  const r = spawnSync(
    python,
    [join(root, 'bench', 'peers', 'chonkie_chunk.py'), docsPath, dir, String(MAX_TOKENS), String(runs)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  );
  if (r.status !== 0) return `not run: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
  const j = JSON.parse(r.stdout) as { version: string; seconds: number[]; starts: number[][] };
  return { starts: j.starts.map((s, i) => utf16Of(docs[i]!.text, s)), s: median(j.seconds), version: j.version };
}

/** npm semantic-chunking with its default model (installed in bench/peers/chunking on first use). */
function semanticChunking(docs: BenchDoc[]): string {
  const dir = join(root, 'bench', 'peers', 'chunking');
  const script = join(dir, 'run.mjs');
  if (!existsSync(join(dir, 'node_modules', 'semantic-chunking'))) {
    mkdirSync(dir, { recursive: true });
    const i = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    });
    const why = (i.stderr || i.error?.message || '')
      .split('\n')
      .find((l) => /npm (error|ERR!) (code|\d{3}|notarget|network)/.test(l));
    if (i.status !== 0) return `not run: \`npm install\` failed offline (${why?.trim() ?? `exit ${i.status}`})`;
  }
  writeFileSync(join(tmpdir(), 'se-bench-chunk-one.txt'), docs[0]!.text);
  const r = spawnSync(process.execPath, [script, join(tmpdir(), 'se-bench-chunk-one.txt')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return r.status === 0
    ? `ran: ${r.stdout.trim()}`
    : `not run: ${(r.stderr || 'timeout').trim().split('\n').slice(-1)[0]}`;
}

const model = await loadDefaultModel();
const pools: Array<[BenchDoc['source'], Map<string, string[]>]> = [
  ['corpus', corpusPassages(shared)],
  ['stsb', stsbPassages(shared)],
];
if (process.argv.includes('--tune')) {
  const dev = makeDocs(pools, perLang, 1);
  for (const window of [2, 3])
    for (const percentile of [0, 20, 30, 40, 50, 60]) {
      const r = ours(model, dev, { maxTokens: MAX_TOKENS, window, percentile }, 1);
      console.log(`window ${window} percentile ${percentile}: F1 ${f1(dev, r.starts).toFixed(3)}`);
    }
  process.exit(0);
}
const docs = makeDocs(pools, perLang, 2);
const bytes = docs.reduce((a, d) => a + Buffer.byteLength(d.text), 0);
const sentences = docs.reduce((a, d) => a + splitSentences(d.text).length, 0);
const tokenCounts = docs.flatMap((d) => {
  const cuts = [0, ...d.seams, d.text.length];
  return cuts
    .slice(1)
    .map((e, i) => model.tokenizer.encode(d.text.slice(cuts[i], e)).length)
    .sort((a, b) => a - b);
});
const window = Math.round(median(tokenCounts));
const rows: Row[] = [];
const sem = ours(model, docs, { maxTokens: MAX_TOKENS });
rows.push({ name: 'static-embed `semantic` (defaults)', starts: sem.starts, s: sem.s });
const tok = ours(model, docs, { method: 'tokens', maxTokens: window });
rows.push({ name: `fixed windows of ${window} tokens (the median passage)`, starts: tok.starts, s: tok.s });
const ch = chonkie(docs);
if (typeof ch !== 'string')
  rows.push({ name: `Chonkie ${ch.version} SemanticChunker (defaults)`, starts: ch.starts, s: ch.s });
const f = (starts: number[][], src?: BenchDoc['source']) => f1(docs, starts, src ? (d) => d.source === src : undefined);
chunkSection({
  rows,
  docs,
  bytes,
  sentences,
  f,
  machine: machine(),
  load: loadNote(),
  runs,
  maxTokens: MAX_TOKENS,
  chonkieNote: typeof ch === 'string' ? ch : '',
  npmNote: semanticChunking(docs),
});
await model.close();
