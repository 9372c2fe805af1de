/**
 * Single-thread tokenization of the whole benchmark corpus, side by side in one run:
 *   static-embed in-process (encodeBatch) and @huggingface/tokenizers (npm, pure TypeScript), interleaved;
 *   the Rust `tokenizers` library via ../shared/tools/peer-bench.py --what tokenize --threads 1;
 *   the static-embed CLI end to end (process start, load, tokenize, write) on the same corpus;
 *   load time of tokenizer.json in a fresh process.
 * Medians of --repeats runs after a warm-up. Writes the "tokenize" section of bench/RESULTS.md.
 *
 * node dist/bench/tokenize.js [--corpus FILE] [--model DIR] [--repeats N] [--python PY]
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { Tokenizer } from '../src/index.js';
import { findTokenizerFile } from '../src/runtime/node/fs.js';
import { loadNote, machine, median, npmVersion, option, repoRoot, timeChild, versionOf, writeSection } from './lib.js';

const root = repoRoot();
const corpus = option('corpus', join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'))!;
const model = option('model', '/tmp/bench-models/st-mbert-32d-f16')!;
const repeats = Number(option('repeats', '5'));
const python = option('python', '/tmp/static-embed-ref/bin/python')!;
const tokFile = existsSync(model)
  ? findTokenizerFile(model)
  : join(root, '..', 'shared', 'tokenizers', 'mbert-uncased', 'tokenizer.json');

const lines = readFileSync(corpus, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const mb = statSync(corpus).size / 1e6;
const json = readFileSync(tokFile, 'utf8');

const ours = Tokenizer.fromJSON(json);
const hf = new HfTokenizer(JSON.parse(json) as object, {});
let ourIds = 0;
const runOurs = () => {
  ourIds = ours.encodeBatch(lines).ids.length;
};
const runHf = () => {
  let n = 0;
  for (const l of lines) n += hf.encode(l, { add_special_tokens: false }).ids.length;
  return n;
};
const time = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
};

console.log(`corpus ${lines.length} lines, ${mb.toFixed(1)} MB; tokenizer ${tokFile}`);
runOurs();
const hfIds = runHf(); // warm-up
if (hfIds !== ourIds) console.log(`note: @huggingface/tokenizers produced ${hfIds} ids, static-embed ${ourIds}`);
const oursT: number[] = [],
  hfT: number[] = [];
// on a shared machine every row slows down with the load: record it, and the share of a core these runs got
const load = loadNote();
const cpu0 = process.cpuUsage(),
  wall0 = performance.now();
for (let r = 0; r < repeats; r++) {
  oursT.push(time(runOurs));
  hfT.push(time(runHf));
  console.log(`run ${r + 1}: static-embed ${oursT[r]!.toFixed(3)} s, @huggingface/tokenizers ${hfT[r]!.toFixed(3)} s`);
}
const cpu = process.cpuUsage(cpu0);
const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);

// Rust tokenizers through the Python reference, same corpus, 1 thread
let rust: { median_s: number } | undefined;
let rustVersion = 'not run';
if (existsSync(python) && existsSync(model)) {
  const peer = join(root, '..', 'shared', 'tools', 'peer-bench.py');
  const r = await timeChild(python, [
    peer,
    '--model',
    model,
    '--corpus',
    corpus,
    '--threads',
    '1',
    '--what',
    'tokenize',
    '--repeats',
    String(repeats),
  ]);
  if (r.code === 0) {
    rust = (JSON.parse(r.stdout) as { tokenize: { median_s: number } }).tokenize;
    rustVersion = versionOf(python, ['-c', 'import tokenizers; print(tokenizers.__version__)']);
    console.log(`Rust tokenizers ${rustVersion}: median ${rust.median_s.toFixed(3)} s`);
  } else console.log(`peer-bench failed: ${r.stderr.slice(-500)}`);
} else
  console.log(`Rust peer skipped: needs ${python} (setup-python-reference.sh) and ${model} (make-bench-models.py)`);

// CLI end to end
const cli = join(root, 'bin', 'static-embed.js');
const outFile = join(tmpdir(), 'static-embed-bench-ids.jsonl');
const cliT: number[] = [],
  cliRss: number[] = [];
for (let r = 0; r <= repeats; r++) {
  const x = await timeChild(process.execPath, [
    cli,
    'tokenize',
    '--model',
    tokFile,
    '--input',
    corpus,
    '--output',
    outFile,
    '--overwrite',
  ]);
  if (x.code !== 0) throw new Error(x.stderr);
  if (r > 0) {
    cliT.push(x.seconds);
    cliRss.push(x.peakRssMb);
  }
}
console.log(`CLI end to end: median ${median(cliT).toFixed(3)} s`);

// load time of tokenizer.json in a fresh process
const loadScript =
  `const t0=performance.now();const {Tokenizer}=await import(${JSON.stringify(join(root, 'dist', 'src', 'index.js'))});` +
  `const fs=await import('node:fs');const t1=performance.now();const tok=Tokenizer.fromJSON(fs.readFileSync(${JSON.stringify(tokFile)}));` +
  `const t2=performance.now();tok.encode('Hello world');const t3=performance.now();console.log(JSON.stringify({importMs:t1-t0,loadMs:t2-t1,firstMs:t3-t2}))`;
const loads: Array<{ importMs: number; loadMs: number; firstMs: number }> = [];
for (let r = 0; r < repeats; r++) {
  const x = await timeChild(process.execPath, ['--input-type=module', '-e', loadScript]);
  loads.push(JSON.parse(x.stdout) as { importMs: number; loadMs: number; firstMs: number });
}

const o = median(oursT),
  h = median(hfT);
const lps = (s: number) => `${Math.round(lines.length / s).toLocaleString('en-US')}`;
const mbs = (s: number) => (mb / s).toFixed(1);
const rows = [
  `| static-embed, in-process \`encodeBatch\` | ${o.toFixed(3)} | ${lps(o)} | ${mbs(o)} | ${rust ? (rust.median_s / o).toFixed(2) + '×' : '–'} |`,
  `| static-embed CLI end to end (start, load, tokenize, write jsonl) | ${median(cliT).toFixed(3)} | ` +
    `${lps(median(cliT))} | ${mbs(median(cliT))} \
| ${rust ? (rust.median_s / median(cliT)).toFixed(2) + '×' : '–'} |`,
  rust
    ? `| Rust \`tokenizers\` ${rustVersion}, in-process \`encode_batch_fast\`, 1 thread | ` +
      `${rust.median_s.toFixed(3)} | ${lps(rust.median_s)} | \
${mbs(rust.median_s)} | 1.00× |`
    : '| Rust tokenizers | not run | | | |',
  `| @huggingface/tokenizers ${npmVersion('@huggingface/tokenizers')} (npm, pure TS), in-process | ` +
    `${h.toFixed(3)} | ${lps(h)} | ${mbs(h)} | \
${rust ? (rust.median_s / h).toFixed(2) + '×' : '–'} |`,
];
const body = `## Tokenization, single thread (issue 2)

Command: \`npm run build && node dist/bench/tokenize.js --model /tmp/bench-models/st-mbert-32d-f16 --repeats ${repeats}\`
(benchmark models from \`../shared/tools/make-bench-models.py\`; Python peer from \`setup-python-reference.sh\`).
Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.
Corpus: \`../shared/corpus/bench-corpus.txt\`, ${lines.length.toLocaleString('en-US')} lines, ${mb.toFixed(1)} MB, ${ourIds.toLocaleString('en-US')} \
ids; mBERT uncased tokenizer; no special tokens.
Medians of ${repeats} runs after a warm-up; static-embed and @huggingface/tokenizers interleaved in one process.
Load: ${load} at the start; the in-process runs got ${Math.round(100 * cpuShare)} % of a core (CPU time / wall time).
The seconds are this run's wall time: on a shared machine every row slows down with the load, so compare the ratios
(measured side by side in this run), not the seconds with other runs.

| what | median s | lines/s | MB/s | speed vs Rust |
|---|---:|---:|---:|---:|
${rows.join('\n')}

static-embed in-process is **${(h / o).toFixed(1)}×** @huggingface/tokenizers. CLI peak RSS: ${median(cliRss).toFixed(0)} MB.
Fresh-process load of the 2.5 MB tokenizer.json (median): import ${median(loads.map((l) => l.importMs)).toFixed(1)} ms,
\`Tokenizer.fromJSON\` ${median(loads.map((l) => l.loadMs)).toFixed(1)} ms, first \`encode\` ${median(loads.map((l) => l.firstMs)).toFixed(1)} ms.`;
console.log(body);
console.log('wrote', writeSection('tokenize', body));
