/**
 * The library in a real browser (headless Chromium through playwright-core): fromBytes, the tokenizer, the
 * WebAssembly SIMD kernel, and encodeAsync spread over Web Workers on a cross-origin isolated page, with the
 * same bytes as the calling thread. Skips with a reason when Chromium is not installed (CI installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { gate, REPO_ROOT } from '../helpers/shared.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NO_CHROMIUM = `needs Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`;
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
};

test(
  'in headless Chromium: encode, encodeAsync over Web Workers (same bytes), tokenizer, SIMD kernel',
  { timeout: 120_000 },
  async (t) => {
    if (!existsSync(CHROMIUM)) {
      gate(t, NO_CHROMIUM, 'STATIC_EMBED_REQUIRE_BROWSER');
      return;
    }
    const server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
        /^(\.\.[/\\])+/,
        '',
      );
      const file = join(REPO_ROOT, path === '/' ? 'test/browser/page.html' : path);
      if (!file.startsWith(REPO_ROOT) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // cross-origin isolation, so that SharedArrayBuffer (shared table, Web Workers) is available
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      res.end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
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
      server.close();
    }
  },
);

test(
  'the evaluation report renders in Chromium: chart with one line per task, legend inside the figure',
  { timeout: 120_000 },
  async (t) => {
    if (!existsSync(CHROMIUM)) {
      gate(t, NO_CHROMIUM, 'STATIC_EMBED_REQUIRE_BROWSER');
      return;
    }
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
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
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
