/**
 * Web developers' builds in Chromium (esbuild, Vite build, Vite dev; plain and isolated pages; workers: 2): Node's rows,
 * a quiet console; without the worker files, a fallback with one warning; an SPA fallback named in the error.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { loadDefaultModel } from '../../src/node.js';
import { appProject, esbuildApp, viteBuildApp, viteDevApp, type ServedApp } from '../helpers/bundler-apps.js';
import { chromiumFor } from '../helpers/chromium.js';

const TEXTS = ['tips for a healthy heart', 'Der schnelle braune Fuchs.', '猫が好きです', 'a', ''];
let browser: Browser | undefined;
after(() => browser?.close());

interface Run {
  coi?: boolean;
  workers?: boolean;
  a?: number[];
  b?: number[];
  searchSame?: boolean;
  asyncMs?: number;
  error?: string;
  code?: string;
}

/** Opens the app, runs it; the result, the console's warnings and errors, the 404s and the workers started. */
async function runApp(t: Parameters<typeof chromiumFor>[0], app: ServedApp, folder = '/models/default/') {
  browser ??= await chromiumFor(t);
  if (!browser) return undefined;
  const page: Page = await browser.newPage();
  const console_: string[] = [],
    missing: string[] = [];
  let workers = 0;
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') console_.push(`${m.type()}: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(new URL(r.url()).pathname);
  });
  page.on('worker', () => workers++);
  try {
    await page.goto(`${app.url}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, {
      timeout: 60_000,
    });
    const r = await page.evaluate(
      ([texts, f]) => (window as unknown as { run: (t: string[], f: string) => Promise<unknown> }).run(texts, f),
      [TEXTS, folder] as [string[], string],
    );
    return { r: r as Run, console: console_, missing, workers };
  } finally {
    await page.close();
  }
}

const want = (async () => Array.from((await loadDefaultModel()).encode(TEXTS).data))();

async function check(t: Parameters<typeof chromiumFor>[0], app: ServedApp, isolate: boolean): Promise<void> {
  try {
    const got = await runApp(t, app);
    if (!got) return;
    assert.equal(got.r.error, undefined, got.r.error);
    assert.equal(got.r.coi, isolate);
    assert.equal(got.r.workers, isolate, 'Web Workers usable on the isolated page only');
    assert.deepEqual(got.r.a, await want, 'encode = Node');
    assert.deepEqual(got.r.b, await want, 'encodeAsync on 2 workers = Node');
    assert.equal(got.r.searchSame, true, 'searchAsync on 2 threads = search');
    assert.deepEqual(got.missing, [], 'no 404 on a normal load');
    assert.deepEqual(got.console, [], 'nothing in the console');
    assert.equal(got.workers, isolate ? 3 : 0, 'the workers started: 2 encoding + 1 kernel');
  } finally {
    await app.close();
  }
}

for (const isolate of [false, true]) {
  const page = isolate ? 'cross-origin isolated page' : 'ordinary page';
  test(
    `esbuild (worker scripts as entry points), ${page}: workers: 2 as Node, no 404`,
    { timeout: 180_000 },
    async (t) => {
      await check(t, await esbuildApp(appProject('esb'), isolate, true), isolate);
    },
  );
  test(`Vite build, ${page}: workers: 2 as Node, no 404`, { timeout: 180_000 }, async (t) => {
    await check(t, await viteBuildApp(appProject('vite'), isolate), isolate);
  });
  test(`Vite dev server, ${page}: workers: 2 as Node, no 404`, { timeout: 180_000 }, async (t) => {
    await check(t, await viteDevApp(appProject('vdev'), isolate), isolate);
  });
}

/** Rows from the page's thread, one warning naming the fix, and encodeAsync not held past the workers' deadline. */
function fellBack(got: NonNullable<Awaited<ReturnType<typeof runApp>>>, rows: number[], fix: RegExp): void {
  assert.equal(got.r.error, undefined, got.r.error);
  assert.deepEqual(got.r.b, rows, 'the rows, from the page thread');
  assert.equal(got.r.searchSame, true);
  // not a speed check: workers that never start must not hold encodeAsync longer than their start deadline
  assert.ok(got.r.asyncMs! < 10_000, `encodeAsync took ${got.r.asyncMs} ms`);
  const warnings = got.console.filter((c) => c.startsWith('warning:'));
  assert.equal(warnings.length, 1, got.console.join('\n'));
  assert.match(warnings[0]!, /static-embed: encodeAsync runs on the calling thread: Web Workers could not start/);
  assert.match(warnings[0]!, fix);
}

test(
  'esbuild without the worker entry points: encodeAsync falls back to the page thread with one warning, in < 10 s',
  { timeout: 180_000 },
  async (t) => {
    const app = await esbuildApp(appProject('esb-noworker'), true, false);
    try {
      const got = await runApp(t, app);
      if (got) fellBack(got, await want, /with esbuild, add static-embed\/web-worker and static-embed\/kernel-worker/);
    } finally {
      await app.close();
    }
  },
);

test(
  "Vite dev server with Vite's defaults (the package pre-bundled, its worker file lost): the same fallback",
  { timeout: 180_000 },
  async (t) => {
    const app = await viteDevApp(appProject('vdev-defaults'), true, true);
    try {
      const got = await runApp(t, app);
      if (got) fellBack(got, await want, /optimizeDeps: \{ exclude: \['static-embed'\] \}/);
    } finally {
      await app.close();
    }
  },
);

test(
  "Vite dev server's SPA fallback where the model should be: the error names the HTML answer",
  { timeout: 180_000 },
  async (t) => {
    const app = await viteDevApp(appProject('vdev-spa'), false);
    try {
      const got = await runApp(t, app, '/no-model-here/');
      if (!got) return;
      assert.equal(got.r.code, 'NOT_FOUND');
      assert.match(got.r.error!, /the server answered HTML: an SPA fallback\?/);
      assert.match(got.r.error!, /modules\.json/);
    } finally {
      await app.close();
    }
  },
);
