/**
 * The library in a real browser (headless Chromium through playwright-core): fromBytes, the tokenizer, the
 * WebAssembly SIMD kernel, and encodeAsync spread over Web Workers on a cross-origin isolated page, with the
 * same bytes as the calling thread. Skips with a reason when Chromium is not installed (CI installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '../../scripts/static-server.js';
import { chromiumFor } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/shared.js';

test(
  'in headless Chromium: encode, encodeAsync over Web Workers (same bytes), tokenizer, SIMD kernel',
  { timeout: 120_000 },
  async (t) => {
    const browser = await chromiumFor(t);
    if (!browser) return;
    // cross-origin isolation, so that SharedArrayBuffer (shared table, Web Workers) is available
    const server = await serveStatic({ mounts: { '/': REPO_ROOT }, index: 'test/browser/page.html', isolate: true });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, {
        timeout: 60_000,
      });
      const result = await page.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
      assert.equal(result.error, undefined, String(result.error));
      assert.equal(result.crossOriginIsolated, true);
      assert.equal(result.webWorkers, true);
      assert.equal(result.kernel, 'wasm-simd');
      assert.equal(result.rows, 6000);
      assert.equal(result.same, true, 'Web Workers give the same bytes as the page thread');
      assert.deepEqual(result.ids, [2, 3, 4, 5]);
    } finally {
      await browser.close();
      await server.close();
    }
  },
);

test(
  'the evaluation report renders in Chromium: chart with one line per task, legend inside the figure',
  { timeout: 120_000 },
  async (t) => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { runCli } = await import('../helpers/cli.js');
    const { SHARED_DIR, sharedFile } = await import('../helpers/shared.js');
    const model = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
    if (!model) return;
    const out = join(mkdtempSync(join(tmpdir(), 'se-report-')), 'r');
    const r = await runCli([
      'eval',
      '--model',
      model,
      '--quick',
      '--dims',
      '4,8,16',
      '--out',
      out,
      '--data',
      join(SHARED_DIR, 'eval'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const browser = await chromiumFor(t);
    if (!browser) return;
    try {
      const page = await browser.newPage({ viewport: { width: 1150, height: 1400 } });
      await page.goto(`file://${join(out, 'report.html')}`);
      const info = await page.evaluate(() => {
        const svg = document.querySelector('svg')!;
        const box = svg.getBoundingClientRect();
        const texts = Array.from(svg.querySelectorAll('text'), (e) => e.getBoundingClientRect());
        return {
          lines: svg.querySelectorAll('polyline').length,
          inside: texts.every((b) => b.right <= box.right + 1 && b.left >= box.left - 1),
          tables: document.querySelectorAll('table').length,
        };
      });
      assert.equal(info.lines, 5);
      assert.ok(info.inside, 'every label of the chart is inside the figure');
      assert.ok(info.tables >= 3);
      await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
      assert.ok(existsSync(join(out, 'report.png')));
    } finally {
      await browser.close();
    }
  },
);
