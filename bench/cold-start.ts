/**
 * Cold start and memory: fresh processes, interleaved round by round with a bare `node -e 0` (medians, peak RSS):
 * the CLI's `similarity a b` and the library's import + load + first embedding, on the embedded model and the 32-d
 * fp16 benchmark model; where the CLI's time goes (CPU profile of each run, by phase); the same cold start in
 * model2vec (Python) and transformers.js (onnxruntime-node, the 32-d ONNX export); encode throughput of the CLI
 * (2 threads, the benchmark corpus) with tables as stored (int8, float16) against the float32 path.
 *   node dist/bench/cold-start.js [--rounds 10] [--repeats 3] [--models /tmp/bench-models] [--python PY]
 *     [--baseline DIR (a built checkout to compare)] [--no-peers]
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeNpyArgs,
  ensureOnnxExport,
  ensureTransformersJs,
  loadNote,
  machine,
  median,
  option,
  repoRoot,
  timeChild,
  writeSection,
  type ChildRun,
} from './lib.js';

const root = repoRoot();
const rounds = Number(option('rounds', '10'));
const repeats = Number(option('repeats', '3'));
const models = option('models', '/tmp/bench-models')!;
const python = option('python', '/tmp/static-embed-ref/bin/python')!;
const baseline = option('baseline');
const peers = !process.argv.includes('--no-peers');
const corpus = option('corpus', join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'))!;
const m32 = join(models, 'st-mbert-32d-f16');
const tmp = mkdtempSync(join(tmpdir(), 'se-cold-'));
// the vocabulary cache (runtime/node/vocab-cache.ts) of every run but the "first run" row, filled by a warm-up run
process.env.STATIC_EMBED_CACHE = join(tmp, 'cache');
let fresh = 0;
const emptyCache = () => ({ ...process.env, STATIC_EMBED_CACHE: join(tmp, `empty-cache-${fresh++}`) });

interface Case {
  label: string;
  run: () => Promise<ChildRun>;
  /** in-process figures a child prints as JSON (library loads, peers) */
  json?: boolean;
}

const node = (args: string[], env: NodeJS.ProcessEnv = process.env) => timeChild(process.execPath, args, env);
const cli = (bin: string, args: string[], env?: NodeJS.ProcessEnv) => timeChild(bin, args, env);
const lib = (entry: string, model?: string) =>
  node([join(root, 'dist', 'bench', 'cold-load.js'), '--lib', entry, ...(model ? ['--model', model] : [])]);

function cases(): Case[] {
  const bin = join(root, 'bin', 'static-embed.js');
  const entry = new URL(`file://${join(root, 'dist', 'src', 'node.js')}`).href;
  const list: Case[] = [
    { label: '`node -e 0`', run: () => node(['-e', '0']) },
    { label: 'CLI `similarity a b`, embedded model', run: () => cli(bin, ['similarity', 'a', 'b']) },
    {
      label: 'the same, first run on the machine (empty vocabulary cache: the tokenizer is scanned, its table kept)',
      run: () => cli(bin, ['similarity', 'a', 'b'], emptyCache()),
    },
    { label: 'library: import, `loadDefaultModel()`, embed 2 texts', run: () => lib(entry), json: true },
    { label: 'CLI `similarity a b`, 32-d fp16 model', run: () => cli(bin, ['similarity', '--model', m32, 'a', 'b']) },
    { label: 'library: import, load the 32-d fp16 model, embed 2 texts', run: () => lib(entry, m32), json: true },
  ];
  if (baseline) {
    const old = new URL(`file://${join(baseline, 'dist', 'src', 'node.js')}`).href;
    list.push(
      {
        label: 'baseline CLI `similarity a b`, embedded model',
        run: () => cli(join(baseline, 'bin', 'static-embed.js'), ['similarity', 'a', 'b']),
      },
      { label: 'baseline library: import, `loadDefaultModel()`, embed 2 texts', run: () => lib(old), json: true },
    );
  }
  if (peers) {
    const m2v = join(models, 'm2v-mbert-32d-f16');
    const onnx = join(models, 'onnx-32d');
    list.push(
      {
        label: 'model2vec (Python): import, load the 32-d fp16 model, embed 2 texts',
        run: () => timeChild(python, [join(root, 'bench', 'peers', 'model2vec_cold.py'), '--model', m2v]),
        json: true,
      },
      {
        label: 'transformers.js + onnxruntime-node: import, load the 32-d ONNX export, embed 2 texts',
        run: () => node([join(root, 'bench', 'peers', 'transformersjs-cold.mjs'), '--model', onnx]),
        json: true,
      },
    );
  }
  return list;
}

/** The CPU profile of one CLI run, by phase (ms of samples on the main thread). */
async function profileCli(): Promise<Record<string, number>> {
  const dir = join(tmp, `prof-${Date.now()}`);
  // the launcher's own line: `VAR=… exec node FLAGS "$0"`; profiled with the same settings
  const bin = join(root, 'bin', 'static-embed.js');
  const line = /; (\w+=.*?) exec node (.*?) "\$0"/.exec(readFileSync(bin, 'utf8'))!;
  const env = { ...process.env, ...Object.fromEntries(line[1]!.split(' ').map((kv) => kv.split('='))) };
  const flags = [...line[2]!.split(' '), '--cpu-prof', `--cpu-prof-dir=${dir}`];
  const r = await node([...flags, bin, 'similarity', 'a', 'b'], env);
  if (r.code !== 0) throw new Error(`CLI failed: ${r.stderr}`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  const phases = phasesOf(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile);
  rmSync(dir, { recursive: true, force: true });
  return phases;
}

interface Profile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

/** The phase of a call frame, if it names one (searched from the sampled frame outwards). */
function phaseOf(fn: string, url: string): string | undefined {
  if (/^(fromJSON|fromVocabTable|fromLargeText)$/.test(fn)) return 'tokenizer construction';
  if (/^(assembleCore|readSafetensors|tensorSource|tensorToNumbers)$/.test(fn)) return 'table: read and checks';
  if (fn === '(garbage collector)') return 'garbage collection';
  if (/internal\/modules\/(esm|cjs)|internal\/bootstrap\/realm/.test(url)) return 'module loading and compiling';
  if (/internal\/(bootstrap|process|main)/.test(url)) return 'Node start-up';
  return undefined;
}

const COMMAND = 'the command (parse, encode, print) and other';

/** A tokenizer or table phase among the ancestors of our own code's frame x (loader frames do not count). */
function ancestorPhase(
  byId: Map<number, Profile['nodes'][number]>,
  parent: Map<number, number>,
  x: number,
): string | undefined {
  for (let y = parent.get(x); y !== undefined; y = parent.get(y)) {
    const f = byId.get(y)!.callFrame;
    const p = phaseOf(f.functionName, '');
    if (p) return p;
  }
  return undefined;
}

function phasesOf(p: Profile): Record<string, number> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out: Record<string, number> = {};
  p.samples.forEach((id, i) => {
    let phase: string | undefined;
    // from the sampled frame outwards: a named phase, or the first frame of our own code (then: the command)
    for (let x: number | undefined = id; x !== undefined && !phase; x = parent.get(x)) {
      const f = byId.get(x)!.callFrame;
      if (f.functionName === '(idle)') return;
      phase = phaseOf(f.functionName, f.url);
      if (!phase && f.url.startsWith('file:') && /^(fromJSON|assembleCore)$/.test(f.functionName) === false) {
        const inner = ancestorPhase(byId, parent, x);
        phase = inner ?? COMMAND;
      }
    }
    const k = phase ?? COMMAND;
    out[k] = (out[k] ?? 0) + p.timeDeltas[i]! / 1000;
  });
  return out;
}

/** CLI encode of the corpus with 2 threads: the model as stored and widened to float32, interleaved. */
async function throughput(): Promise<Array<{ label: string; seconds: number[] }>> {
  const bin = join(root, 'bin', 'static-embed.js');
  const out = join(tmp, 'out.npy');
  const configs: Array<[string, string, string[]]> = [
    ['embedded model, int8 as stored', 'static-embed-default', []],
    ['embedded model, widened to float32', 'static-embed-default', ['--table-dtype', 'float32']],
    ['32-d model, float16 as stored', m32, []],
    ['32-d model, widened to float32', m32, ['--table-dtype', 'float32']],
  ];
  const rows = configs.map(([label]) => ({ label, seconds: [] as number[] }));
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < configs.length; i++) {
      const [label, model, extra] = configs[i]!;
      const res = await cli(bin, [...encodeNpyArgs(model, corpus, out, 2), ...extra]);
      if (res.code !== 0) throw new Error(`${label}: ${res.stderr}`);
      rows[i]!.seconds.push(res.seconds);
    }
  }
  return rows;
}

interface Row {
  label: string;
  wall: number[];
  rss: number[];
  inner: Array<Record<string, number | string>>;
}

async function coldRuns(list: Case[]): Promise<{ rows: Row[]; phases: Array<Record<string, number>> }> {
  const rows: Row[] = list.map((c) => ({ label: c.label, wall: [], rss: [], inner: [] }));
  const phases: Array<Record<string, number>> = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < list.length; i++) {
      const res = await list[i]!.run();
      if (res.code !== 0) throw new Error(`${list[i]!.label}: exit ${res.code}: ${res.stderr}`);
      rows[i]!.wall.push(res.seconds);
      rows[i]!.rss.push(res.peakRssMb);
      if (list[i]!.json)
        rows[i]!.inner.push(JSON.parse(res.stdout.trim().split('\n').pop()!) as Record<string, number>);
    }
    phases.push(await profileCli());
    console.log(`round ${r + 1}/${rounds} done (${loadNote()})`);
  }
  return { rows, phases };
}

const f3 = (x: number) => x.toFixed(3);
const mid = (xs: Array<Record<string, number | string>>, k: string) => median(xs.map((x) => Number(x[k])));

function coldTable(rows: Row[]): string {
  const bare = median(rows[0]!.wall);
  const lines = [
    '| what | median wall s | × `node -e 0` | peak RSS MB (median) | in-process |',
    '|---|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const w = median(r.wall);
    let inner = '';
    if (r.inner.length && 'loadMs' in r.inner[0]!)
      inner =
        `start-up ${mid(r.inner, 'startMs').toFixed(0)} ms, import ${mid(r.inner, 'importMs').toFixed(0)} ms, ` +
        `load ${mid(r.inner, 'loadMs').toFixed(0)} ms, first embedding ${mid(r.inner, 'encodeMs').toFixed(1)} ms`;
    else if (r.inner.length)
      inner = `import ${f3(mid(r.inner, 'import_s'))} s, load ${f3(mid(r.inner, 'load_s'))} s, first embedding ${f3(mid(r.inner, 'first_s'))} s`;
    lines.push(`| ${r.label} | ${f3(w)} | ${(w / bare).toFixed(2)}× | ${median(r.rss).toFixed(0)} | ${inner} |`);
  }
  return lines.join('\n');
}

function phaseTable(phases: Array<Record<string, number>>): string {
  const keys = [...new Set(phases.flatMap((p) => Object.keys(p)))];
  const lines = ['| phase | median CPU ms |', '|---|---:|'];
  for (const k of keys.sort()) lines.push(`| ${k} | ${median(phases.map((p) => p[k] ?? 0)).toFixed(1)} |`);
  return lines.join('\n');
}

function throughputTable(rows: Array<{ label: string; seconds: number[] }>): string {
  const lines = ['| model, table | median s | lines/s | vs float32 path |', '|---|---:|---:|---:|'];
  const n = readFileSync(corpus, 'utf8')
    .split('\n')
    .filter((l, i, a) => i < a.length - 1 || l !== '').length;
  rows.forEach((r, i) => {
    const s = median(r.seconds);
    const f32 = median(rows[i % 2 === 0 ? i + 1 : i]!.seconds);
    lines.push(`| ${r.label} | ${f3(s)} | ${Math.round(n / s).toLocaleString('en-US')} | ${(f32 / s).toFixed(2)}× |`);
  });
  return lines.join('\n');
}

if (peers) {
  ensureTransformersJs();
  ensureOnnxExport(python, m32, join(models, 'onnx-32d'));
}
const before = loadNote();
// fills the vocabulary cache for the embedded and the 32-d models (a first run does, on any machine)
for (const model of [[], ['--model', m32]])
  await cli(join(root, 'bin', 'static-embed.js'), ['similarity', ...model, 'a', 'b']);
const { rows, phases } = await coldRuns(cases());
const tput = await throughput();
const after = loadNote();
rmSync(tmp, { recursive: true, force: true });
const body = `## Cold start, memory and stored-dtype throughput

Command: \`npm run build && node dist/bench/cold-start.js --rounds ${rounds} --repeats ${repeats}${baseline ? ' --baseline DIR' : ''}\`
(benchmark models from \`../shared/tools/make-bench-models.py\`; model2vec from its source tree on the reference venv,
\`scripts/setup-reference.sh\`; the ONNX export and the transformers.js install are made by the script).
Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Load: ${before} at the start, ${after} at the end.
Every process is fresh; each round runs every row once, in order; medians of ${rounds} rounds. The vocabulary cache
(\`STATIC_EMBED_CACHE\`, docs/models.md) is filled by one run before the rounds, as the first run on a machine fills
it; the "first run" row starts each time from an empty one.

${coldTable(rows)}

Where the CLI's \`similarity a b\` spends its time (CPU profile of one extra run per round, main thread, by phase):

${phaseTable(phases)}

Encoding the corpus (\`encode --workers 2\` to a float32 .npy, whole process), medians of ${repeats} interleaved runs;
the float32 path is the same model loaded with \`--table-dtype float32\` (today's widening at load, the float32 kernel):

${throughputTable(tput)}
`;
console.log(body);
console.log(`written to ${writeSection('cold-start', body)}`);
