/**
 * static-embed on an ordinary web page (no COOP/COEP headers) in headless Chromium, beside transformers.js in the
 * same browser on the same model: each library bundled (esbuild) into a plain page that loads the model over HTTP
 * from a local server, embeds one sentence (time to first embedding, from navigation start), then 1,000 sentences
 * of the benchmark corpus `--repeats` times (sentences/s). Runs are interleaved over `--rounds`; each round is a
 * fresh browser context (cold: nothing cached), then a reload in that context (warm: whatever the library caches).
 *   node dist/bench/browser.js [--models /tmp/bench-models] [--corpus ../shared/corpus/bench-corpus.txt]
 *     [--rounds 3] [--repeats 5] [--python PY] [--no-peers]
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../scripts/chromium.js';
import { serveStatic } from '../scripts/static-server.js';
import { ensureOnnxExport, ensureTransformersJs, machine, median, option, repoRoot, writeSection } from './lib.js';

const root = repoRoot();
const modelsDir = option('models', '/tmp/bench-models')!;
const corpusFile = option('corpus', join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'))!;
const rounds = Number(option('rounds', '3'));
const repeats = Number(option('repeats', '5'));
const python = option('python', '/tmp/static-embed-ref/bin/python')!;
const peers = !process.argv.includes('--no-peers');
const N = 1000;

interface Config {
  label: string;
  model: string;
  page: 'se' | 'tjs';
  isolated: boolean;
}
interface PageResult {
  firstMs: number;
  encodeMs: number[];
  texts: number;
  dim: number;
  kernel: string;
  isolated: boolean;
  error?: string;
}

const CONFIGS: Config[] = [
  { label: 'static-embed, default model (256-d)', model: 'models/default/', page: 'se', isolated: false },
  { label: 'static-embed, 32-d fp16 benchmark model', model: 'models/st-32d/', page: 'se', isolated: false },
  ...(peers
    ? [
        {
          label: 'transformers.js + onnxruntime-web, same 32-d model (ONNX)',
          model: 'onnx-32d',
          page: 'tjs' as const,
          isolated: false,
        },
      ]
    : []),
  {
    label: 'static-embed, 32-d model, cross-origin isolated page',
    model: 'models/st-32d/',
    page: 'se',
    isolated: true,
  },
];

if (peers) {
  ensureTransformersJs();
  ensureOnnxExport(python, join(modelsDir, 'st-mbert-32d-f16'), join(modelsDir, 'onnx-32d'));
}
const out = join(root, 'bench', 'out', 'browser');
mkdirSync(out, { recursive: true });
const lines = readFileSync(corpusFile, 'utf8').split('\n').slice(0, N);
writeFileSync(join(out, 'corpus.txt'), lines.join('\n') + '\n');
const entryPoints: Record<string, string> = { se: join(root, 'dist', 'bench', 'browser', 'se-app.js') };
if (peers) entryPoints.tjs = join(root, 'bench', 'peers', 'transformersjs-web.mjs');
await build({
  entryPoints,
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  logLevel: 'error',
});
for (const p of ['se', 'tjs']) {
  writeFileSync(
    join(out, `${p}.html`),
    `<!doctype html>\n<meta charset="utf-8">\n<script type="module" src="${p}.js"></script>\n`,
  );
}
const mounts = {
  '/': out,
  '/models/default/': join(root, 'models', 'default'),
  '/models/st-32d/': join(modelsDir, 'st-mbert-32d-f16'),
  '/models/onnx-32d/': join(modelsDir, 'onnx-32d'),
  '/ort/': join(root, 'bench', 'peers', 'node_modules', 'onnxruntime-web', 'dist'),
};
const plain = await serveStatic({ mounts });
const isolated = await serveStatic({ mounts, isolate: true });
const browser = await launchChromium();
const version = browser.version();

async function once(page: import('playwright-core').Page, c: Config, reload: boolean): Promise<PageResult> {
  const url = `${(c.isolated ? isolated : plain).url}/${c.page}.html?model=${encodeURIComponent(c.model)}&repeats=${repeats}`;
  if (reload) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, {
    timeout: 300_000,
  });
  const r = await page.evaluate(() => (window as unknown as { result: PageResult }).result);
  if (r.error) throw new Error(`${c.label}: ${r.error}`);
  if (r.texts !== lines.length) throw new Error(`${c.label}: embedded ${r.texts} texts, expected ${lines.length}`);
  return r;
}

const results = new Map<Config, { cold: number[]; warm: number[]; encode: number[]; r: PageResult }>();
try {
  for (let round = 0; round < rounds; round++) {
    for (const c of CONFIGS) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cold = await once(page, c, false);
      const warm = await once(page, c, true);
      await context.close();
      const e = results.get(c) ?? { cold: [], warm: [], encode: [], r: cold };
      e.cold.push(cold.firstMs);
      e.warm.push(warm.firstMs);
      e.encode.push(median(cold.encodeMs), median(warm.encodeMs));
      results.set(c, e);
      console.log(
        `${c.label}: first embedding ${cold.firstMs.toFixed(0)} ms cold, ${warm.firstMs.toFixed(0)} ms warm; ` +
          `${N} sentences in ${median(cold.encodeMs).toFixed(1)} ms`,
      );
    }
  }
} finally {
  await browser.close();
  await plain.close();
  await isolated.close();
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const rows = CONFIGS.map((c) => {
  const e = results.get(c)!;
  const ms = median(e.encode);
  return (
    `| ${c.label} | ${c.isolated ? 'isolated' : 'ordinary'} | ${e.r.kernel} | ${fmt(median(e.cold))} ` +
    `| ${fmt(median(e.warm))} | ${ms.toFixed(1)} | **${fmt((N / ms) * 1000)}** |`
  );
});
const se32 = results.get(CONFIGS[1]!)!;
const tjs = CONFIGS.find((c) => c.page === 'tjs');
const ratio = tjs
  ? `On the same 32-d model and page, static-embed reaches its first embedding ` +
    `${(median(results.get(tjs)!.cold) / median(se32.cold)).toFixed(1)}× sooner (cold) ` +
    `and embeds ${(median(results.get(tjs)!.encode) / median(se32.encode)).toFixed(1)}× as many sentences per second as transformers.js.`
  : '';
const body = `## In the browser: an ordinary page (no COOP/COEP), static-embed beside transformers.js

Machine: ${machine()}; Chromium ${version} (headless, Debian package). Command:
\`npm run build && node dist/bench/browser.js --rounds ${rounds} --repeats ${repeats}\` (benchmark models from
\`../shared/tools/make-bench-models.py\` in ${modelsDir}; the ONNX export from \`scripts/export-onnx.py\`; the peer
installed in bench/peers). Each library is bundled by esbuild into a plain page that loads its model over HTTP from a
local server (same machine). **First embedding**: milliseconds from navigation start until one sentence is embedded
(bundle, model download, parsing, first encode) — *cold* in a fresh browser context, *warm* after a reload in it
(static-embed reads the model from Cache Storage; transformers.js caches its tokenizer files, the ONNX session is
fetched again). **Encode**: ${N} lines of the benchmark corpus (\`bench-corpus.txt\`) in one call, median over
${rounds} rounds × 2 page loads × ${repeats} repeats after a warm-up. Configurations interleaved, medians.

| what | page | kernel | first embedding, cold (ms) | warm (ms) | encode ${N} (ms) | sentences/s |
|---|---|---|---:|---:|---:|---:|
${rows.join('\n')}

${ratio} transformers.js runs the model's EmbeddingBag as an ONNX graph in onnxruntime-web's WebAssembly backend
(single thread: an ordinary page has no SharedArrayBuffer), after tokenizing with its JavaScript tokenizer.
static-embed pools in its WebAssembly SIMD kernel on both pages (in a private memory on the ordinary one); the
isolated page adds only SharedArrayBuffer, which encode on the calling thread does not use.`;
console.log(`\n${body}\n`);
console.log(`wrote ${writeSection('browser', body)}`);
