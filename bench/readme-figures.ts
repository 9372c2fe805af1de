/**
 * Figures in README.md and docs/*.md come from bench/RESULTS.md, never typed: each sits between
 * `<!-- r:NAME -->` and `<!-- /r -->`, and `updateReadme()` (called by every bench script after it writes its
 * section, or `node dist/bench/readme-figures.js`) rewrites them from the current RESULTS.md. A figure whose
 * section or row is missing is an error, so a renamed row cannot leave a stale number behind.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './root.js';

type Results = (section: string) => string;

/** The cells of the first table row of a section whose first cell starts with `label`. */
function row(section: string, label: string): string[] {
  const line = section.split('\n').find((l) => l.startsWith(`| ${label}`));
  if (!line) throw new Error(`bench/RESULTS.md: no row "${label}"`);
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

/** The number in a cell: "1,053", "7.90×", "0.175 s" → 1053, 7.9, 0.175. */
const num = (cell: string | undefined): number => {
  const x = Number((cell ?? '').replace(/[,×s ]/g, ''));
  if (!Number.isFinite(x)) throw new Error(`bench/RESULTS.md: "${cell}" is not a number`);
  return x;
};
const match = (section: string, re: RegExp): string => {
  const m = re.exec(section);
  if (!m) throw new Error(`bench/RESULTS.md: nothing matches ${re}`);
  return m[1]!;
};
const fixed = (x: number, d: number) => x.toFixed(d);
/** A cell without its bold markers. */
const plain = (cell: string | undefined): string => (cell ?? '').replace(/\*/g, '');
const BINARY_2 = 'static-embed `VectorIndex` binary codes + rescore ×10, 2 threads';
const times = (x: number) => `${x.toFixed(1)}×`;

/** Each figure: its name in the pages (README.md, docs/*.md) and how it is read from RESULTS.md. */
export const FIGURES: Record<string, (r: Results) => string> = {
  // tokenization (bench/tokenize.ts)
  'tok-vs-rust': (r) => times(num(row(r('tokenize'), 'static-embed, in-process')[4])),
  'tok-s': (r) => fixed(num(row(r('tokenize'), 'static-embed, in-process')[1]), 2),
  'tok-rust-s': (r) => fixed(num(row(r('tokenize'), 'Rust `tokenizers`')[1]), 2),
  'tok-vs-hf': (r) => `${match(r('tokenize'), /in-process is \*\*([\d.]+)×\*\*/)}×`,
  'tok-cli-s': (r) => fixed(num(row(r('tokenize'), 'static-embed CLI end to end')[1]), 2),
  'tok-cli-vs-rust': (r) => times(num(row(r('tokenize'), 'static-embed CLI end to end')[4])),
  'tok-date': (r) => match(r('tokenize'), /Date: (\d{4}-\d\d-\d\d)/),
  'tok-lines': (r) => match(r('tokenize'), /Corpus: .*?, ([\d,]+) lines/),
  'tok-repeats': (r) => match(r('tokenize'), /Medians of (\d+) runs/),
  // encoding (bench/encode.ts)
  'enc32-cli-s': (r) => fixed(num(row(r('encode').split('### 32-d')[1]!, 'static-embed CLI end to end | 2')[2]), 2),
  'enc32-vs-st': (r) => times(num(row(r('encode').split('### 32-d')[1]!, 'static-embed CLI end to end | 2')[5])),
  'enc32-vs-tjs': (r) => `${match(r('encode'), /32-d fp16: .*?\*\*([\d.]+)×\*\* transformers\.js/)}×`,
  'enc1024-cli-s': (r) => fixed(num(row(r('encode').split('### 1024-d')[1]!, 'static-embed CLI end to end | 2')[2]), 1),
  'enc1024-vs-st': (r) => times(num(row(r('encode').split('### 1024-d')[1]!, 'static-embed CLI end to end | 2')[5])),
  'cold-32': (r) => match(r('encode'), /32-d fp16: static-embed ([\d.]+) s/),
  'cold-st': (r) => match(r('encode'), /32-d fp16: static-embed [\d.]+ s, sentence-transformers ([\d.]+) s/),
  'enc-date': (r) => match(r('encode'), /Date: (\d{4}-\d\d-\d\d)/),
  // training (bench/train.ts)
  'train-ours': (r) => row(r('train'), 'static-embed, 2 threads')[1]!,
  'train-peer': (r) => row(r('train'), 'PyTorch peer')[1]!,
  'train-vs-peer': (r) => times(num(row(r('train'), 'static-embed, 2 threads')[4])),
  // search over 1M vectors (bench/search.ts), with LanceDB on the same vectors
  'search-exact-vs-st': (r) => times(num(plain(row(r('search'), 'static-embed `VectorIndex` exact, 2 threads')[3]))),
  'search-binary-vs-st': (r) => times(num(plain(row(r('search'), BINARY_2)[3]))),
  'search-binary-recall': (r) => row(r('search'), BINARY_2)[4]!,
  'search-lance-qps': (r) => row(r('search'), 'LanceDB')[2]!,
  'search-lance-vs-st': (r) => times(num(row(r('search'), 'LanceDB')[3])),
  'search-lance-recall': (r) => match(row(r('search'), 'LanceDB')[4]!, /^([\d.]+)/),
  // paraphrase mining (bench/mine.ts), streaming search (bench/search-stream.ts), the LanceDB store (bench/lancedb.ts)
  'mine-vs-st': (r) => times(num(plain(row(r('mine'), 'static-embed `paraphraseMining`')[2]))),
  'stream-vs-encode': (r) => `${match(r('search-stream'), /takes \*\*([\d.]+)×\*\*/)}×`,
  'stream-rss': (r) => row(r('search-stream'), '`static-embed search --corpus FILE`')[2]!,
  'lance-recall': (r) => row(r('lancedb'), 'recall@10 of the ANN search')[1]!,
  'lance-p50': (r) => row(r('lancedb'), 'query latency p50')[1]!,
  // cold start and stored-dtype throughput (bench/cold-start.ts)
  'cold-sim-s': (r) => fixed(num(row(r('cold-start'), 'CLI `similarity a b`, embedded model')[1]), 2),
  'cold-sim-vs-node': (r) => row(r('cold-start'), 'CLI `similarity a b`, embedded model')[2]!,
  'cold-sim-rss': (r) => row(r('cold-start'), 'CLI `similarity a b`, embedded model')[3]!,
  'cold-sim-first-s': (r) => fixed(num(row(r('cold-start'), 'the same, first run on the machine')[1]), 2),
  'cold-load-ms': (r) => match(row(r('cold-start'), 'library: import, `loadDefaultModel()`')[4]!, /load (\d+) ms/),
  'tput-int8': (r) => row(r('cold-start'), 'embedded model, int8 as stored')[3]!,
  'cold-date': (r) => match(r('cold-start'), /Date: (\d{4}-\d\d-\d\d)/),
  // chunking (bench/chunk.ts)
  'chunk-docs': (r) => match(r('chunk'), /Documents: (\d+) synthetic documents/),
  'chunk-f1': (r) => row(r('chunk'), 'static-embed `semantic`')[1]!,
  'chunk-mbs': (r) => row(r('chunk'), 'static-embed `semantic`')[5]!,
  'chunk-f1-windows': (r) => row(r('chunk'), 'fixed windows of')[1]!,
  'chunk-f1-chonkie': (r) => row(r('chunk'), 'Chonkie')[1]!,
  'chunk-mbs-chonkie': (r) => row(r('chunk'), 'Chonkie')[5]!,
  'chunk-vs-chonkie': (r) => times(num(row(r('chunk'), 'Chonkie')[6])),
};

/** A page with every marked figure rewritten from RESULTS.md (the text `readme`, the results `results`). */
export function renderReadme(readme: string, results: string): string {
  const sections = new Map<string, string>();
  for (const m of results.matchAll(/<!-- ([\w-]+):start -->\n([\s\S]*?)<!-- \1:end -->/g)) sections.set(m[1]!, m[2]!);
  const r: Results = (name) => {
    const s = sections.get(name);
    if (s === undefined) throw new Error(`bench/RESULTS.md has no "${name}" section`);
    return s;
  };
  return readme.replace(/<!-- r:([\w-]+) -->[^<]*<!-- \/r -->/g, (_, name: string) => {
    const f = FIGURES[name];
    if (!f) throw new Error(`a page names an unknown figure "${name}" (bench/readme-figures.ts)`);
    return `<!-- r:${name} -->${f(r)}<!-- /r -->`;
  });
}

/** The pages that may hold figures, relative to the repository: README.md and every docs/*.md. */
export function figurePages(root = repoRoot()): string[] {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', ...docs.sort().map((f) => `docs/${f}`)];
}

/** Rewrites the figures of README.md and docs/*.md from bench/RESULTS.md; returns the figures that changed. */
export function updateReadme(): string[] {
  const root = repoRoot();
  const results = readFileSync(join(root, 'bench', 'RESULTS.md'), 'utf8');
  const figs = (s: string) => [...s.matchAll(/<!-- r:([\w-]+) -->([^<]*)<!-- \/r -->/g)].map((m) => `${m[1]}=${m[2]}`);
  const changed: string[] = [];
  for (const page of figurePages(root)) {
    const path = join(root, page);
    const before = readFileSync(path, 'utf8');
    const after = renderReadme(before, results);
    if (after === before) continue;
    writeFileSync(path, after);
    const old = new Set(figs(before));
    changed.push(
      ...figs(after)
        .filter((f) => !old.has(f))
        .map((f) => `${page}: ${f}`),
    );
  }
  return changed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const changed = updateReadme();
  console.log(changed.length ? `figures updated: ${changed.join(', ')}` : 'README.md and docs/ figures are current');
}
