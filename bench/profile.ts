/**
 * Where the time goes: the CLI (`static-embed encode --format npy` of the benchmark corpus, started with the
 * launcher's own runtime flags) under `node --cpu-prof`, for the 32-d fp16 model on 1 thread and the 1024-d float32
 * model on 2 threads. Every thread's profile (main and workers) is read and its samples attributed to a few parts of
 * the pipeline by source file; wall time and peak RSS from the same runs (GNU time). Writes the "profile" section of
 * bench/RESULTS.md.
 *
 * node dist/bench/profile.js [--models /tmp/bench-models] [--corpus FILE]
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpyArgs, machine, option, repoRoot, timeChild, writeSection } from './lib.js';

const root = repoRoot();
const shared = process.env.STATIC_EMBED_SHARED ?? join(root, '..', 'shared');
const models = option('models', process.env.STATIC_EMBED_BENCH_MODELS ?? '/tmp/bench-models')!;
const corpus = option('corpus', join(shared, 'corpus', 'bench-corpus.txt'))!;
const bin = join(root, 'bin', 'static-embed.js');

// the launcher's runtime flags and environment, read from its exec line (as npx runs it)
const launch = /; ((?:\w+=\S+ )+)exec node ((?:--\S+ )*)"\$0"/.exec(readFileSync(bin, 'utf8'));
if (!launch) throw new Error(`${bin}: no "VAR=… exec node … "$0"" line`);
const launchEnv = Object.fromEntries(
  launch[1]!
    .trim()
    .split(' ')
    .map((kv) => kv.split('=') as [string, string]),
);
const launchFlags = launch[2]!.trim().split(' ').filter(Boolean);

interface Profile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** The parts, in the order the section lists them (fixed, so a rerun changes only numbers). */
const PARTS = [
  'reading and splitting the input',
  'tokenization',
  'pooling kernel (WebAssembly SIMD)',
  'model, workers, copying rows',
  'writing the .npy',
  'loading the table',
  'garbage collection',
  'Node and V8 (start-up, module loading, compilation)',
];

/** The part of the pipeline a frame's own source file belongs to, or undefined (Node internals, builtins). */
function partOf(url: string): string | undefined {
  if (url.startsWith('wasm://') || /\/kernels\//.test(url)) return 'pooling kernel (WebAssembly SIMD)';
  if (/\/tokenizer\//.test(url)) return 'tokenization';
  if (/\/cli\/io\/(input|count)\./.test(url)) return 'reading and splitting the input';
  if (/\/cli\/io\/(output|npy-writer)\./.test(url)) return 'writing the .npy';
  if (/\/formats\/|safetensors/.test(url)) return 'loading the table';
  if (/\/model\/|\/runtime\//.test(url)) return 'model, workers, copying rows';
  return undefined;
}

/** Each profile node's part: its own frame's, else its nearest caller's with a part (a node:fs write under the npy writer is writing). */
function parts(p: Profile): Map<number, string> {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<number, string>();
  for (const n of p.nodes) {
    const fn = n.callFrame.functionName;
    let k: string | undefined =
      fn === '(idle)' ? 'idle' : fn === '(garbage collector)' ? 'garbage collection' : undefined;
    for (let id: number | undefined = n.id; k === undefined && id !== undefined; id = parent.get(id))
      k = partOf(byId.get(id)!.callFrame.url);
    out.set(n.id, k ?? 'Node and V8 (start-up, module loading, compilation)');
  }
  return out;
}

async function profileRun(model: string, threads: number) {
  const dir = mkdtempSync(join(tmpdir(), 'se-prof-'));
  const out = join(dir, 'out.npy');
  const r = await timeChild(
    process.execPath,
    [...launchFlags, '--cpu-prof', `--cpu-prof-dir=${dir}`, bin, ...encodeNpyArgs(model, corpus, out, threads)],
    { ...process.env, ...launchEnv },
  );
  if (r.code !== 0) throw new Error(`encode failed: ${r.stderr}`);
  const byPart = new Map<string, number>();
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile;
    const part = parts(p);
    p.samples.forEach((id, i) => {
      const k = part.get(id)!;
      byPart.set(k, (byPart.get(k) ?? 0) + (p.timeDeltas[i] ?? 0) / 1e6);
    });
  }
  rmSync(dir, { recursive: true, force: true });
  return { wall: r.seconds, rss: r.peakRssMb, threads: files.length, byPart };
}

const runs = [
  { name: '32-d fp16, 1 thread', model: join(models, 'st-mbert-32d-f16'), threads: 1 },
  { name: '1024-d float32, 2 threads', model: join(models, 'st-mbert-1024d-f32'), threads: 2 },
];
const lines: string[] = [];
for (const run of runs) {
  const p = await profileRun(run.model, run.threads);
  const busy = [...p.byPart].filter(([k]) => k !== 'idle');
  const cpu = busy.reduce((s, [, v]) => s + v, 0);
  console.log(run.name, p.wall.toFixed(2), 's', busy);
  lines.push(
    `### ${run.name}: ${p.wall.toFixed(2)} s wall, peak RSS ${Math.round(p.rss)} MB, ` +
      `${cpu.toFixed(2)} s sampled on ${p.threads} \
thread${p.threads === 1 ? '' : 's'}`,
    '',
    '| part | sampled s | share |',
    '|---|---:|---:|',
    ...PARTS.map((k) => [k, p.byPart.get(k) ?? 0] as const).map(
      ([k, v]) => `| ${k} | ${v.toFixed(2)} | ${((100 * v) / cpu).toFixed(0)} % |`,
    ),
    '',
  );
}
const body = [
  '## Where the time goes (issue 4): CPU profile of the CLI',
  '',
  `Command: \`npm run build && node dist/bench/profile.js --models ${models}\`. ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  `\`static-embed encode --format npy\` of the benchmark corpus \
(${corpus.endsWith('bench-corpus.txt') ? '`../shared/corpus/bench-corpus.txt`' : corpus}) started as the launcher starts it \
(\`${launchFlags.join(' ')}\`), under \`node ` +
    `--cpu-prof\`; every thread's samples (idle excluded; sampled time includes time the thread waited \
for a core on a busy machine) attributed to the part of the pipeline of the nearest frame with a known source file. One run each.`,
  '',
  ...lines,
].join('\n');
console.log(body);
writeSection('profile', body);
