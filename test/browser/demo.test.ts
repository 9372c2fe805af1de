/**
 * The demo page (examples/browser, bundled by `npm run demo`'s builder and served as static files without
 * isolation headers) in headless Chromium: the default model loads, and the three panels produce results —
 * heatmap cells, search hits that follow the query as it is typed and a dropped file, the PCA map's points in
 * k clusters. A screenshot goes to dist/test-output/demo.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDemo, startDemo } from '../../scripts/demo.js';
import { chromiumFor } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/shared.js';

const texts = (sel: string) =>
  document.querySelectorAll(sel).length ? Array.from(document.querySelectorAll(sel), (e) => e.textContent ?? '') : [];

test(
  'demo page: the default model loads; heatmap, search as you type (and a dropped file), PCA map by cluster',
  { timeout: 180_000 },
  async (t) => {
    const browser = await chromiumFor(t);
    if (!browser) return;
    const server = await startDemo({ outdir: mkdtempSync(join(tmpdir(), 'se-demo-')), port: 0 });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [],
        noise: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // the model's layout is probed without a request for an absent file: no red 404 in the console
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') noise.push(m.text());
      });
      page.on('response', (r) => {
        if (r.status() >= 400) noise.push(`${r.status()} ${r.url()}`);
      });
      const status = await openDemo(page, `${server.url}/`);
      assert.match(status ?? '', /^Loaded models\/default\/ in [\d.]+ s: 88,000 tokens × 256 dims/);
      assert.deepEqual(errors, []);
      assert.deepEqual(noise, [], 'nothing in the console, no failed request');
      // (a) heatmap: n × n cells, 1.00 on the diagonal
      const cells = await page.evaluate(texts, '#heatmap .cell');
      assert.equal(cells.length, 49);
      for (let i = 0; i < 7; i++) assert.equal(cells[i * 7 + i], '1.00');
      assert.ok(cells.every((c) => /^-?\d\.\d\d$/.test(c)));
      // (b) search: results for the initial query, then as a new one is typed
      let hits = await page.evaluate(texts, '#results li');
      assert.equal(hits.length, 8);
      assert.match(hits[0]!, /dinner|koche|soup|salad/i);
      await page.fill('#query', 'football match');
      await page.waitForFunction(() =>
        /match|striker|penalties|Mannschaft|partido/i.test(document.querySelector('#results li')?.textContent ?? ''),
      );
      hits = await page.evaluate(texts, '#results li');
      assert.match(hits[0]!, /match|striker|penalties|Mannschaft|partido/i);
      assert.match((await page.textContent('#speed')) ?? '', /Corpus: 48 texts in [\d.]+ ms/);
      // (c) map: one point per text, coloured by k clusters
      const clusters = await page.evaluate(() =>
        Array.from(document.querySelectorAll('#map circle'), (c) => c.getAttribute('data-cluster')),
      );
      assert.equal(clusters.length, 48);
      assert.equal(new Set(clusters).size, 4);
      const out = join(REPO_ROOT, 'dist', 'test-output');
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, 'demo.png'), fullPage: true });
      console.log(`# screenshot: ${join(out, 'demo.png')}`);
      // a text file given to the file input (as when dropped) replaces the corpus
      const lines = [
        'Quantum computers use qubits.',
        'The recipe needs two eggs and butter.',
        'Photosynthesis turns light into sugar.',
      ];
      await page.setInputFiles('#file', {
        name: 'docs.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(lines.join('\n')),
      });
      await page.waitForFunction(() => document.getElementById('corpus-count')!.textContent === '3 lines');
      await page.fill('#query', 'baking a cake');
      await page.waitForFunction(() => document.querySelectorAll('#results li').length === 3);
      assert.match((await page.evaluate(texts, '#results li'))[0]!, /recipe/);
      assert.equal(await page.evaluate(() => document.querySelectorAll('#map circle').length), 3);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);
