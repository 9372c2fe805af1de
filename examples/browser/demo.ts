/**
 * The static-embed browser demo: load a model (the package's default model, a Hub id or a folder URL) with
 * progress, then (a) a similarity heatmap of typed texts, (b) semantic search over a pasted or dropped text file
 * as you type, (c) a 2-D PCA map of the texts coloured by k-means cluster. Everything runs in the page.
 */
import {
  Matrix,
  StaticModel,
  kmeans,
  semanticSearch,
  webWorkersUsable,
  type DownloadProgress,
} from '../../src/browser.js';
import { pca2 } from './pca.js';
import { HEATMAP_TEXTS, SAMPLE_CORPUS } from './sample.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const MAP_POINTS = 2000;

let model: StaticModel | undefined;
let corpus: string[] = [];
let corpusEmb: Matrix | undefined;
const speeds = new Map<string, string>();

/** "1 text", "2 texts". */
const counted = (n: number, word: string): string => `${fmt.format(n)} ${word}${n === 1 ? '' : 's'}`;

/** Encodes and reports the speed in the status line. */
function encode(texts: string[], what: string): Matrix {
  const t0 = performance.now();
  const m = model!.encode(texts, { normalize: true });
  const ms = performance.now() - t0;
  speeds.set(
    what,
    `${what}: ${counted(texts.length, 'text')} in ${ms.toFixed(1)} ms` +
      (ms > 0 ? ` (${fmt.format((texts.length / ms) * 1000)}/s)` : ''),
  );
  $('speed').textContent = `Encoding speed — ${[...speeds.values()].join(' · ')}`;
  return m;
}

async function load(): Promise<void> {
  const source = $<HTMLInputElement>('model-input').value.trim();
  const button = $<HTMLButtonElement>('load-button');
  button.disabled = true;
  const files = new Map<string, DownloadProgress>();
  const bar = $<HTMLProgressElement>('progress');
  const t0 = performance.now();
  $('status').textContent = `Loading ${source} …`;
  try {
    const next = await StaticModel.fromPretrained(source, {
      onProgress: (p) => {
        files.set(p.file, p);
        let loaded = 0,
          total = 0;
        for (const f of files.values()) {
          loaded += f.loaded;
          total += f.total ?? f.loaded;
        }
        bar.max = Math.max(total, 1);
        bar.value = loaded;
        $('status').textContent =
          `Loading ${source}: ${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB (${p.file}${p.cached ? ', from the cache' : ''})`;
      },
    });
    await model?.close();
    model = next;
    const info = model.info();
    const cached = [...files.values()].every((f) => f.cached);
    $('status').textContent =
      `Loaded ${source} in ${((performance.now() - t0) / 1000).toFixed(2)} s${cached ? ' from the browser cache' : ''}: ` +
      `${fmt.format(info.vocabSize)} tokens × ${info.dim} dims, ${info.layout} layout, ${info.kernel} kernel` +
      `${webWorkersUsable() ? ', Web Workers available' : ''}.`;
    document.body.classList.add('loaded');
    corpusEmb = undefined;
    refreshAll();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    $('status').textContent = `Could not load ${source}: ${err.code ?? 'ERROR'}: ${err.message ?? String(e)}`;
  } finally {
    button.disabled = false;
  }
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** (a) cosine similarity of every pair of typed texts. */
function heatmap(): void {
  if (!model) return;
  const texts = lines($<HTMLTextAreaElement>('heat-texts').value).slice(0, 40);
  const emb = encode(texts, 'Heatmap');
  const sim = model.similarity(emb, emb, 'cosine');
  const grid = $('heatmap');
  grid.replaceChildren();
  grid.style.gridTemplateColumns = `minmax(8em, 16em) repeat(${texts.length}, 2.6em)`;
  grid.append(cell('', 'corner'));
  texts.forEach((_, j) => grid.append(cell(String(j + 1), 'head')));
  texts.forEach((t, i) => {
    grid.append(cell(`${i + 1}. ${t}`, 'label'));
    texts.forEach((u, j) => {
      const s = sim.get(i, j);
      const c = cell(s.toFixed(2), 'cell');
      c.style.background = `hsl(${210 - 210 * Math.max(0, s)}, 75%, ${92 - 40 * Math.max(0, s)}%)`;
      c.title = `${t}\n${u}\ncosine ${s.toFixed(4)}`;
      grid.append(c);
    });
  });
}

function cell(text: string, cls: string): HTMLElement {
  const d = document.createElement('div');
  d.className = cls;
  d.textContent = text;
  return d;
}

/** (b) the corpus' embeddings (once per corpus), then the top hits for the query at each keystroke. */
function search(): void {
  if (!model) return;
  if (!corpusEmb) {
    corpus = lines($<HTMLTextAreaElement>('corpus').value);
    corpusEmb = encode(corpus, 'Corpus');
    $('corpus-count').textContent = counted(corpus.length, 'line');
    drawMap();
  }
  const query = $<HTMLInputElement>('query').value.trim();
  const list = $('results');
  list.replaceChildren();
  if (!query || corpus.length === 0) return;
  const q = encode([query], 'Query');
  for (const hit of semanticSearch(q, corpusEmb, { topK: 8 })[0]!) {
    const li = document.createElement('li');
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = hit.score.toFixed(3);
    li.append(score, ' ', corpus[hit.corpusId]!);
    list.append(li);
  }
}

/** (c) the corpus on its first two principal components, coloured by k-means cluster. */
function drawMap(): void {
  if (!model || !corpusEmb) return;
  const n = Math.min(corpus.length, MAP_POINTS);
  const svg = $('map');
  svg.replaceChildren();
  if (n < 2) return;
  const emb = new Matrix(n, corpusEmb.cols, corpusEmb.data.subarray(0, n * corpusEmb.cols));
  const k = Math.min(Number($<HTMLInputElement>('k').value) || 4, n);
  const { labels } = kmeans(emb, { k, seed: 0 });
  const xy = pca2(emb);
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, xy[2 * i]!);
    x1 = Math.max(x1, xy[2 * i]!);
    y0 = Math.min(y0, xy[2 * i + 1]!);
    y1 = Math.max(y1, xy[2 * i + 1]!);
  }
  const W = 560,
    H = 360,
    pad = 16;
  const sx = (v: number): number => pad + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (v: number): number => H - pad - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const NS = 'http://www.w3.org/2000/svg';
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  for (let i = 0; i < n; i++) {
    const c = document.createElementNS(NS, 'circle');
    c.setAttribute('cx', sx(xy[2 * i]!).toFixed(1));
    c.setAttribute('cy', sy(xy[2 * i + 1]!).toFixed(1));
    c.setAttribute('r', n > 500 ? '2.5' : '5');
    c.setAttribute('fill', COLORS[labels[i]! % COLORS.length]!);
    c.setAttribute('data-cluster', String(labels[i]));
    const title = document.createElementNS(NS, 'title');
    title.textContent = `cluster ${labels[i]! + 1}: ${corpus[i]}`;
    c.append(title);
    svg.append(c);
  }
  $('map-note').textContent =
    `${counted(n, 'text')}, ${k} k-means cluster${k === 1 ? '' : 's'}, first two principal components` +
    (corpus.length > n ? ` (first ${fmt.format(n)} of ${fmt.format(corpus.length)})` : '');
}

function refreshAll(): void {
  heatmap();
  search();
}

function debounce(f: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(t);
    t = setTimeout(f, ms);
  };
}

function init(): void {
  $<HTMLTextAreaElement>('heat-texts').value = HEATMAP_TEXTS.join('\n');
  $<HTMLTextAreaElement>('corpus').value = SAMPLE_CORPUS.join('\n');
  $<HTMLInputElement>('query').value = 'cooking dinner';
  const params = new URLSearchParams(location.search);
  if (params.get('model')) $<HTMLInputElement>('model-input').value = params.get('model')!;
  $('load-button').addEventListener('click', () => void load());
  $('model-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') void load();
  });
  $('heat-texts').addEventListener('input', debounce(heatmap, 150));
  $('corpus').addEventListener(
    'input',
    debounce(() => {
      corpusEmb = undefined;
      search();
    }, 300),
  );
  $('query').addEventListener('input', search);
  $('k').addEventListener('input', drawMap);
  const drop = $('corpus');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file)
      void file.text().then((text) => {
        $<HTMLTextAreaElement>('corpus').value = text;
        corpusEmb = undefined;
        search();
      });
  });
  $<HTMLInputElement>('file').addEventListener('change', (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file)
      void file.text().then((text) => {
        $<HTMLTextAreaElement>('corpus').value = text;
        corpusEmb = undefined;
        search();
      });
  });
  void load();
}

init();
