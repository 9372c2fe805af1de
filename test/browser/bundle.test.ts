/**
 * A web developer's build: a small app importing `static-embed` bundled by esbuild for the browser with no
 * externals builds without a warning, carries no Node module (no `node:` specifier, no bare built-in), stays
 * within the size budget (core + default tokenizer code ≤ 80 KB gzip; bench/bundle.ts records the size), and
 * runs in headless Chromium with the same results as Node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { StaticModel, semanticSearch } from '../../src/index.js';
import { bundleBrowserApp } from '../helpers/browser-bundle.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUDGET_GZIP = 80 * 1024;
const TEXTS = ['hello world', 'good day', 'hello worlds!', 'zzz'];

test(
  'esbuild --platform=browser bundles an app importing static-embed: no warnings, no Node modules, ≤ 80 KB gzip, runs in Chromium',
  { timeout: 120_000 },
  async (t) => {
    const b = await bundleBrowserApp();
    assert.deepEqual(
      b.warnings.map((w) => w.text),
      [],
      'esbuild warnings',
    );
    assert.doesNotMatch(b.code, /["'`]node:/, 'a node: specifier in the bundle');
    const bare = builtinModules.filter((m) => !m.startsWith('_') && !m.includes('/')).join('|');
    assert.doesNotMatch(
      b.code,
      new RegExp(`(from|import|require)\\s*\\(?\\s*["'](${bare})(/[^"']*)?["']`),
      'a Node built-in in the bundle',
    );
    const inputs = Object.keys(b.metafile.inputs);
    assert.ok(
      !inputs.some((p) => /runtime\/node\//.test(p)),
      `Node runtime code in the bundle: ${inputs.filter((p) => /runtime\/node\//.test(p))}`,
    );
    const gzip = gzipSync(b.code, { level: 9 }).length;
    assert.ok(gzip <= BUDGET_GZIP, `bundle is ${gzip} bytes gzip; the budget is ${BUDGET_GZIP}`);

    if (!existsSync(CHROMIUM)) {
      const reason = `running the bundle needs Chromium at ${CHROMIUM} (.ci/run installs it)`;
      if (process.env.STATIC_EMBED_REQUIRE_BROWSER === '1') throw new Error(reason);
      t.diagnostic(`skipped the Chromium run: ${reason}`);
      return;
    }
    writeFileSync(join(b.dir, 'bundle.js'), b.code);
    writeFileSync(join(b.dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>bundle</title>');
    const server = createServer((req, res) => {
      const file = req.url === '/bundle.js' ? 'bundle.js' : 'index.html';
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
      res.end(readFileSync(join(b.dir, file)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
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
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const files = Object.fromEntries(Object.entries(tinyModelFiles()).map(([k, v]) => [k, Array.from(v)]));
      const got = await page.evaluate(
        async ({ files, texts }) => {
          const app = (await import('/bundle.js' as string)) as {
            run: (f: Record<string, Uint8Array>, t: string[]) => unknown;
          };
          return app.run(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new Uint8Array(v)])), texts);
        },
        { files, texts: TEXTS },
      );
      const model = StaticModel.fromBytes(tinyModelFiles());
      const emb = model.encode(TEXTS);
      assert.deepEqual(got, {
        dim: model.dim,
        rows: emb.rows,
        first: Array.from(emb.row(0)),
        sim: model.similarity(emb, emb).get(0, 1),
        hits: semanticSearch(emb, emb, { topK: 2 }),
      });
    } finally {
      await browser.close();
      server.close();
    }
  },
);
