/**
 * The library as a web page gets it, in headless Chromium: on an ordinary page (no COOP/COEP: no
 * SharedArrayBuffer) and on a cross-origin isolated one (Web Workers); the default model loaded over fetch from
 * the package's files; fromPretrained by folder URL (both layouts) and by Hub id against a local mock Hub (on
 * another origin, with CORS), with its 404 and a connection dropped mid-file; a reload with the Hub blocked
 * loads from Cache Storage. Every embedding is compared with Node's, float32 bit for bit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { StaticModel } from '../../src/node.js';
import { loadDefaultModel } from '../../src/runtime/node/default-model.js';
import { serveStatic, type StaticServer } from '../../scripts/static-server.js';
import { MockHub } from '../helpers/mock-hub.js';
import { chromiumFor } from '../helpers/chromium.js';
import { REPO_ROOT, SHARED_DIR, sharedFile } from '../helpers/shared.js';

interface PageModel {
  encode(t: string[]): { data: Float32Array };
  encodeAsync(t: string[], o: object): Promise<{ data: Float32Array }>;
  info(): { kernel: string; tokenizerFastPath: boolean; dim: number; layout: string };
  close(): Promise<void>;
}
interface PageLib {
  loadDefaultModel(o?: object): Promise<PageModel>;
  StaticModel: { fromPretrained(id: string, o?: object): Promise<PageModel> };
  webWorkersUsable(): boolean;
  defaultModelUrl(): string;
}
type Outcome =
  { ok: true; data: number[]; info: ReturnType<PageModel['info']> } | { ok: false; code: string; message: string };

const hub = new MockHub();
const COMMIT = 'd'.repeat(40);
let plain: StaticServer, isolated: StaticServer;
let browser: Browser | undefined;

before(async () => {
  await hub.start();
  const mounts = { '/': REPO_ROOT, '/fixtures/': join(SHARED_DIR, 'fixtures', 'synthetic-mbert-16d') };
  plain = await serveStatic({ mounts, index: 'test/browser/runtime.html' });
  isolated = await serveStatic({ mounts, index: 'test/browser/runtime.html', isolate: true });
});
after(async () => {
  await browser?.close();
  await hub.stop();
  await plain.close();
  await isolated.close();
});

function sentences(t: Parameters<typeof sharedFile>[0]): string[] | undefined {
  const f = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  if (!f) return undefined;
  return readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

async function openPage(t: Parameters<typeof sharedFile>[0], server: StaticServer): Promise<Page | undefined> {
  browser ??= await chromiumFor(t);
  if (!browser) return undefined;
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, {
    timeout: 60_000,
  });
  return page;
}

/** The sentences, the 16-d fixture folder and an ordinary page, or undefined after a skip. */
async function onPlainPage(
  t: Parameters<typeof sharedFile>[0],
): Promise<{ texts: string[]; st: string; page: Page } | undefined> {
  const texts = sentences(t);
  const st = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!texts || !st) return undefined;
  const page = await openPage(t, plain);
  return page ? { texts, st, page } : undefined;
}

/** StaticModel.fromPretrained in the page, then encode: the floats, or the error's code and message. */
function loadIn(page: Page, id: string, options: object, texts: string[]): Promise<Outcome> {
  return page.evaluate(
    async ({ id, options, texts }) => {
      const se = (window as unknown as { se: PageLib }).se;
      try {
        const m = await se.StaticModel.fromPretrained(id, options);
        return { ok: true as const, data: Array.from(m.encode(texts).data), info: m.info() };
      } catch (e) {
        const err = e as { code?: string; message?: string };
        return { ok: false as const, code: String(err.code), message: String(err.message) };
      }
    },
    { id, options, texts },
  );
}

function sameFloats(got: number[], want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++)
    if (!Object.is(Math.fround(got[i]!), want[i]!))
      assert.fail(`${what}: value ${i} is ${got[i]}, Node gives ${want[i]}`);
}

for (const isolation of [false, true]) {
  test(
    `${isolation ? 'cross-origin isolated page (Web Workers)' : 'ordinary page without COOP/COEP (no SharedArrayBuffer)'}: ` +
      `the default model over fetch embeds as Node does`,
    { timeout: 180_000 },
    async (t) => {
      const texts = sentences(t);
      if (!texts) return;
      const page = await openPage(t, isolation ? isolated : plain);
      if (!page) return;
      const r = await page.evaluate(async (texts) => {
        const se = (window as unknown as { se: PageLib }).se;
        try {
          const m = await se.loadDefaultModel();
          const a = m.encode(texts);
          const b = await m.encodeAsync(texts, { workers: 2 });
          const info = m.info();
          await m.close();
          return {
            coi: crossOriginIsolated,
            sab: typeof SharedArrayBuffer,
            workers: se.webWorkersUsable(),
            url: se.defaultModelUrl(),
            info,
            a: Array.from(a.data),
            b: Array.from(b.data),
          };
        } catch (e) {
          return { error: String((e as Error).stack ?? e) };
        }
      }, texts);
      assert.ok(!('error' in r), 'error' in r ? r.error : '');
      if ('error' in r) return;
      assert.equal(r.coi, isolation);
      assert.equal(r.sab, isolation ? 'function' : 'undefined');
      assert.equal(r.workers, isolation);
      assert.equal(r.url, `${(isolation ? isolated : plain).url}/models/default/`);
      assert.equal(
        r.info.tokenizerFastPath,
        true,
        'the 700 kB WordPiece tokenizer.json takes the fast path (the one that needed SharedArrayBuffer)',
      );
      assert.equal(r.info.kernel, 'wasm-simd', 'SIMD pooling with or without shared memory');
      const node = await loadDefaultModel();
      const want = node.encode(texts).data;
      sameFloats(r.a, want, 'encode');
      sameFloats(r.b, want, 'encodeAsync');
      await page.close();
    },
  );
}

test(
  'fromPretrained in the page: folder URLs in both layouts, a Hub id, 404, a dropped connection',
  { timeout: 180_000 },
  async (t) => {
    const ctx = await onPlainPage(t);
    if (!ctx) return;
    const { texts, st, page } = ctx;
    for (const [folder, layout] of [
      ['st-16d-fp16', 'sentence-transformers'],
      ['m2v-16d-fp16', 'model2vec'],
    ] as const) {
      const r = await loadIn(page, `/fixtures/${folder}/`, {}, texts);
      assert.ok(r.ok, r.ok ? '' : r.message);
      if (!r.ok) continue;
      assert.equal(r.info.layout, layout);
      const node = await StaticModel.fromPretrained(join(SHARED_DIR, 'fixtures', 'synthetic-mbert-16d', folder));
      sameFloats(r.data, node.encode(texts).data, folder);
    }
    const files = stFiles(st);
    hub.repos.set('org/web-16d', { commit: COMMIT, files });
    const r = await loadIn(page, 'org/web-16d', { endpoint: hub.url, cache: false }, texts);
    assert.ok(r.ok, r.ok ? '' : r.message);
    if (r.ok) sameFloats(r.data, StaticModel.fromBytes(files).encode(texts).data, 'Hub id');
    const missing = await loadIn(page, 'org/missing', { endpoint: hub.url }, texts);
    assert.deepEqual([missing.ok, !missing.ok && missing.code], [false, 'NOT_FOUND']);
    const nothing = await loadIn(page, '/fixtures/no-such-model/', {}, texts);
    assert.deepEqual([nothing.ok, !nothing.ok && nothing.code], [false, 'NOT_FOUND']);
    hub.repos.set('org/drops', { commit: COMMIT, files });
    hub.cutAfter = 100_000;
    const cut = await loadIn(page, 'org/drops', { endpoint: hub.url, cache: false }, texts);
    hub.cutAfter = undefined;
    assert.equal(cut.ok, false);
    if (!cut.ok) {
      assert.equal(cut.code, 'TRUNCATED_DOWNLOAD', cut.message);
      assert.match(cut.message, /after \d+ of \d+ bytes/);
    }
    await page.close();
  },
);

test(
  'Cache Storage: after one load, a reload with the Hub blocked loads the same model with no network',
  { timeout: 180_000 },
  async (t) => {
    const ctx = await onPlainPage(t);
    if (!ctx) return;
    const { texts, st, page } = ctx;
    const files = stFiles(st);
    hub.repos.set('org/cached-16d', { commit: COMMIT, files });
    hub.requests = [];
    const first = await loadIn(page, 'org/cached-16d', { endpoint: hub.url }, texts);
    assert.ok(first.ok, first.ok ? '' : first.message);
    assert.ok(hub.requests.length >= 3, 'the first load downloads');
    await page.route(`${hub.url}/**`, (route) => route.abort('internetdisconnected'));
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    hub.requests = [];
    const blocked = await loadIn(page, 'org/cached-16d', { endpoint: hub.url, cache: false }, texts);
    assert.deepEqual(
      [blocked.ok, !blocked.ok && blocked.code],
      [false, 'NETWORK_ERROR'],
      'the Hub is unreachable from the page',
    );
    const again = await loadIn(page, 'org/cached-16d', { endpoint: hub.url }, texts);
    assert.ok(again.ok, again.ok ? '' : again.message);
    assert.deepEqual(hub.requests, []);
    if (again.ok) sameFloats(again.data, StaticModel.fromBytes(files).encode(texts).data, 'from the cache');
    await page.close();
  },
);

function stFiles(dir: string): Record<string, Uint8Array> {
  return {
    'modules.json': readFileSync(join(dir, 'modules.json')),
    'config_sentence_transformers.json': readFileSync(join(dir, 'config_sentence_transformers.json')),
    '0_StaticEmbedding/model.safetensors': readFileSync(join(dir, '0_StaticEmbedding/model.safetensors')),
    '0_StaticEmbedding/tokenizer.json': readFileSync(join(dir, '0_StaticEmbedding/tokenizer.json')),
  };
}

test(
  'limits in the page: a stalled download is a TIMEOUT (downloadTimeout), a file past maxDownloadBytes DOWNLOAD_TOO_LARGE',
  { timeout: 180_000 },
  async (t) => {
    const ctx = await onPlainPage(t);
    if (!ctx) return;
    const { texts, st, page } = ctx;
    hub.repos.set('org/stalls', { commit: COMMIT, files: stFiles(st) });
    hub.stallAfter = 1000;
    const t0 = Date.now();
    const stalled = await loadIn(page, 'org/stalls', { endpoint: hub.url, cache: false, downloadTimeout: 1 }, texts);
    const took = Date.now() - t0;
    hub.stallAfter = undefined;
    assert.equal(stalled.ok, false);
    if (!stalled.ok) {
      assert.equal(stalled.code, 'TIMEOUT', stalled.message);
      assert.match(stalled.message, /sent nothing for 1 s .*downloadTimeout/);
    }
    assert.ok(took < 6000, `took ${took} ms`);
    const capped = await loadIn(
      page,
      'org/stalls',
      { endpoint: hub.url, cache: false, maxDownloadBytes: 50_000 },
      texts,
    );
    assert.equal(capped.ok, false);
    if (!capped.ok) assert.equal(capped.code, 'DOWNLOAD_TOO_LARGE', capped.message);
    await page.close();
  },
);
