/**
 * Encoding speed and memory, static-embed against its peers on the same corpus and models, in one run:
 *   - static-embed CLI end to end (`encode --format npy`: process start, load, encode, write), 1 and 2 threads;
 *   - static-embed in-process `encode` (lines/s and tokens/s), 1 and 2 threads;
 *   - sentence-transformers in-process `encode` via ../shared/tools/peer-bench.py, 1 and 2 threads;
 *   - transformers.js (@huggingface/transformers tokenizer + onnxruntime-node on the EmbeddingBag ONNX export
 *     from scripts/export-onnx.py), 1 and 2 threads;
 *   - cold start to the first embedding, peak RSS, and cost against text length (8 … 2048 tokens per text).
 * Medians of --repeats runs after a warm-up; static-embed's configurations interleaved. Writes the "encode"
 * section of bench/RESULTS.md.
 *
 * node dist/bench/encode.js [--models DIR] [--corpus FILE] [--repeats N] [--python PY] [--no-peers]
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel } from '../src/node.js';
import {
  ensureOnnxExport,
  ensureTransformersJs,
  encodeNpyArgs,
  machine,
  median,
  option,
  repoRoot,
  timeChild,
  versionOf,
  writeSection,
} from './lib.js';

const root = repoRoot();
/** The installed version of a bench/peers package, read at run time. */
const peerVersion = (name: string): string => {
  const p = join(root, 'bench', 'peers', 'node_modules', name, 'package.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version : 'not installed';
};
const modelsDir = option('models', '/tmp/bench-models')!;
const corpus = option('corpus', join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'))!;
const repeats = Number(option('repeats', '5'));
const python = option('python', '/tmp/static-embed-ref/bin/python')!;
const peers = !process.argv.includes('--no-peers');
const cli = join(root, 'bin', 'static-embed.js');
const out = join(tmpdir(), 'static-embed-bench.npy');
const MODELS = [
  ['32-d fp16', 'st-mbert-32d-f16', 'onnx-32d'],
  ['1024-d float32', 'st-mbert-1024d-f32', 'onnx-1024d'],
] as const;

const lines = readFileSync(corpus, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const PEER_VERSIONS = 'import sentence_transformers as s, torch as t; print(s.__version__, "/ torch", t.__version__)';
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function ensurePeers(): boolean {
  if (!peers) return false;
  ensureTransformersJs();
  for (const [, st, onnx] of MODELS) ensureOnnxExport(python, join(modelsDir, st), join(modelsDir, onnx));
  return true;
}

interface Row {
  what: string;
  threads: number;
  seconds: number;
  rss?: number;
  load?: number;
}

async function main(): Promise<void> {
  const havePeers = ensurePeers() && existsSync(python);
  const sections: string[] = [];
  const summary: string[] = [];
  let totalIds = 0;
  for (const [label, st, onnx] of MODELS) {
    const dir = join(modelsDir, st);
    if (!existsSync(dir)) throw new Error(`missing ${dir}: run ../shared/tools/make-bench-models.py ${modelsDir}`);
    console.log(`\n== ${label}`);
    const rows: Row[] = [];
    // static-embed CLI end to end, 1 and 2 threads, interleaved
    const cliRuns: Record<number, { t: number[]; rss: number[] }> = { 1: { t: [], rss: [] }, 2: { t: [], rss: [] } };
    for (let r = 0; r <= repeats; r++) {
      for (const w of [1, 2]) {
        const x = await timeChild(cli, encodeNpyArgs(dir, corpus, out, w));
        if (x.code !== 0) throw new Error(x.stderr);
        if (r > 0) {
          cliRuns[w]!.t.push(x.seconds);
          cliRuns[w]!.rss.push(x.peakRssMb);
        }
      }
    }
    for (const w of [1, 2])
      rows.push({
        what: 'static-embed CLI end to end',
        threads: w,
        seconds: median(cliRuns[w]!.t),
        rss: median(cliRuns[w]!.rss),
      });
    console.log(`CLI: 1 thread ${median(cliRuns[1]!.t).toFixed(3)} s, 2 threads ${median(cliRuns[2]!.t).toFixed(3)} s`);
    // in-process
    const t0 = performance.now();
    const model = await StaticModel.fromPretrained(dir);
    const loadS = (performance.now() - t0) / 1000;
    totalIds = model.tokenizer.encodeBatch(lines.slice(0, 1)).ids.length >= 0 ? totalIdsOf(model) : 0;
    const inproc: Record<number, number[]> = { 1: [], 2: [] };
    for (let r = 0; r <= repeats; r++) {
      for (const w of [1, 2]) {
        const t = performance.now();
        for (let i = 0; i < lines.length; i += 16384) model.encode(lines.slice(i, i + 16384), { workers: w });
        if (r > 0) inproc[w]!.push((performance.now() - t) / 1000);
      }
    }
    await model.close();
    for (const w of [1, 2])
      rows.push({ what: 'static-embed in-process `encode`', threads: w, seconds: median(inproc[w]!), load: loadS });
    if (havePeers) {
      for (const t of [1, 2]) {
        const x = await timeChild(python, [
          join(root, '..', 'shared', 'tools', 'peer-bench.py'),
          '--model',
          dir,
          '--corpus',
          corpus,
          '--threads',
          String(t),
          '--what',
          'encode',
          '--repeats',
          String(repeats),
        ]);
        if (x.code !== 0) {
          console.log(x.stderr.slice(-800));
          continue;
        }
        const j = JSON.parse(x.stdout) as {
          encode: { median_s: number };
          load_s: number;
          import_s: number;
          peak_rss_mb: number;
        };
        rows.push({
          what: 'sentence-transformers in-process `encode`',
          threads: t,
          seconds: j.encode.median_s,
          rss: j.peak_rss_mb,
          load: j.load_s,
        });
        console.log(`sentence-transformers ${t} thread(s): ${j.encode.median_s.toFixed(3)} s`);
      }
      for (const t of [1, 2]) {
        const x = await timeChild(process.execPath, [
          join(root, 'bench', 'peers', 'transformersjs.mjs'),
          '--model',
          join(modelsDir, onnx),
          '--corpus',
          corpus,
          '--threads',
          String(t),
          '--repeats',
          String(repeats),
        ]);
        if (x.code !== 0) {
          console.log(x.stderr.slice(-800));
          continue;
        }
        const j = JSON.parse(x.stdout.trim().split('\n').pop()!) as {
          median_s: number;
          load_s: number;
          peak_rss_mb: number;
        };
        rows.push({
          what: 'transformers.js + onnxruntime-node in-process',
          threads: t,
          seconds: j.median_s,
          rss: j.peak_rss_mb,
          load: j.load_s,
        });
        console.log(`transformers.js ${t} thread(s): ${j.median_s.toFixed(3)} s`);
      }
    }
    const ref = (t: number) => rows.find((r) => r.what.startsWith('sentence-transformers') && r.threads === t)?.seconds;
    const tjs = (t: number) => rows.find((r) => r.what.startsWith('transformers.js') && r.threads === t)?.seconds;
    const table = rows.map((r) => {
      const vsSt = ref(r.threads);
      return (
        `| ${r.what} | ${r.threads} | ${r.seconds.toFixed(3)} | ${fmt(lines.length / r.seconds)} | ${fmt(totalIds / r.seconds)} | \
` +
        `${vsSt ? (vsSt / r.seconds).toFixed(2) + '×' : '–'} | ${r.load !== undefined ? r.load.toFixed(2) : '–'} | ${r.rss !== undefined ? fmt(r.rss) : '–'} |`
      );
    });
    const cli2 = rows.find((r) => r.what.startsWith('static-embed CLI') && r.threads === 2)!;
    const cli1 = rows.find((r) => r.what.startsWith('static-embed CLI') && r.threads === 1)!;
    const in1 = rows.find((r) => r.what.startsWith('static-embed in-process') && r.threads === 1)!;
    if (ref(2))
      summary.push(
        `- ${label}: CLI end to end with 2 threads **${(ref(2)! / cli2.seconds).toFixed(2)}×** sentence-transformers' in-process encode (2 threads), ` +
          (`${tjs(2) ? `**${(tjs(2)! / cli2.seconds).toFixed(1)}×** transformers.js (2 threads); ` : ''}single thread (CLI) \
${(ref(1)! / cli1.seconds).toFixed(2)}× and ` +
            `in-process ${(ref(1)! / in1.seconds).toFixed(2)}× sentence-transformers (1 thread); CLI peak RSS \
${fmt(cli2.rss!)} MB (2 threads), ${fmt(cli1.rss!)} MB (1 thread).`),
      );
    sections.push(
      `### ${label} (\`${st}\`)\n\n| what | threads | median s | lines/s | tokens/s | speed vs sentence-transformers ` +
        `(same threads) | load s | \
peak RSS MB |\n|---|---:|---:|---:|---:|---:|---:|---:|\n${table.join('\n')}`,
    );
  }

  // cold start: a new process, load, one embedding
  const cold: string[] = [];
  for (const [label, st] of MODELS) {
    const dir = join(modelsDir, st);
    const xs: number[] = [];
    for (let r = 0; r <= repeats; r++) {
      const x = await timeChild('/bin/sh', [
        '-c',
        `echo 'hello world' | ${JSON.stringify(cli)} encode --model ${JSON.stringify(dir)} --workers 1 --quiet > /dev/null`,
      ]);
      if (r > 0) xs.push(x.seconds);
    }
    let stCold = '';
    if (havePeers) {
      const ys: number[] = [];
      for (let r = 0; r < 3; r++) {
        const x = await timeChild(
          python,
          [
            '-c',
            `from sentence_transformers import SentenceTransformer; SentenceTransformer(${JSON.stringify(dir)}, device='cpu').encode(['hello world'])`,
          ],
          { ...process.env, HF_HUB_OFFLINE: '1' },
        );
        ys.push(x.seconds);
      }
      stCold = `, sentence-transformers ${median(ys).toFixed(2)} s`;
    }
    cold.push(
      `- ${label}: static-embed ${median(xs).toFixed(3)} s${stCold} (process start → load → one embedding → exit; medians).`,
    );
  }

  // cost against text length (in-process, one thread)
  const m32 = await StaticModel.fromPretrained(join(modelsDir, 'st-mbert-1024d-f32'));
  const words = lines
    .slice(0, 5000)
    .join(' ')
    .split(/\s+/)
    .filter((w) => /^[a-z]{3,8}$/.test(w));
  const lengthRows: string[] = [];
  for (const L of [8, 32, 128, 512, 2048]) {
    const n = Math.ceil(400_000 / L);
    const texts: string[] = [];
    for (let i = 0; i < n; i++) {
      let t = '';
      for (let k = 0; k < L; k++) t += (k ? ' ' : '') + words[(i * 7919 + k * 104729) % words.length]!;
      texts.push(t);
    }
    const ids = m32.tokenizer.encodeBatch(texts).ids.length;
    const xs: number[] = [];
    for (let r = 0; r <= 3; r++) {
      const t = performance.now();
      m32.encode(texts, { batchSize: 1024 });
      if (r > 0) xs.push((performance.now() - t) / 1000);
    }
    lengthRows.push(
      `| ${L} words | ${(ids / n).toFixed(0)} | ${fmt(n)} | ${median(xs).toFixed(3)} | ${((1e9 * median(xs)) / ids).toFixed(0)} |`,
    );
  }

  const body = `## Encoding: static-embed vs sentence-transformers and transformers.js (issue 4)

Command: \`npm run build && node dist/bench/encode.js --models ${modelsDir} --repeats ${repeats}\` (benchmark models from
\`../shared/tools/make-bench-models.py\`; Python peers from \`setup-python-reference.sh\`; the ONNX exports and the
transformers.js install are made by the script).
Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Versions: sentence-transformers \
${havePeers ? versionOf(python, ['-c', PEER_VERSIONS]) : 'not run'}, @huggingface/transformers ${peerVersion('@huggingface/transformers')}.
Corpus: \`../shared/corpus/bench-corpus.txt\`, ${fmt(lines.length)} lines, ${(statSync(corpus).size / 1e6).toFixed(1)} MB, ${fmt(totalIds)} tokens. \
Medians of ${repeats} runs after a warm-up.
The CLI rows are whole processes (start, load the model, read the corpus, encode, write a float32 .npy); the
in-process rows time \`encode\` only, like the peers' rows.

${summary.join('\n')}

${sections.join('\n\n')}

Cold start to the first embedding:
${cold.join('\n')}

Cost against text length (1024-d model, in-process, one thread; synthetic texts of corpus words):

| text length | tokens per text | texts | median s | ns per token |
|---|---:|---:|---:|---:|
${lengthRows.join('\n')}`;
  console.log(body);
  console.log('wrote', writeSection('encode', body));
}

function totalIdsOf(model: StaticModel): number {
  let n = 0;
  for (let i = 0; i < lines.length; i += 16384) n += model.tokenizer.encodeBatch(lines.slice(i, i + 16384)).ids.length;
  return n;
}

await main();
