/**
 * The fetch-based loader (runtime/web/pretrained.ts) run in Node against real sockets: a Hub id on a mock Hub and
 * a plain folder URL, both layouts; Cache Storage (an in-memory stand-in here; the real one is tested in Chromium)
 * makes the second load network-free; typed errors for 404, unreachable server, truncated body, not a static model,
 * abort; progress per file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StaticEmbedError, StaticModel } from '../../src/index.js';
import { fetchPretrained } from '../../src/runtime/web/pretrained.js';
import type { DownloadProgress } from '../../src/model/hub-options.js';
import { MockHub } from '../helpers/mock-hub.js';
import { sharedFile } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';
import { serveStatic, type StaticServer } from '../../scripts/static-server.js';

const hub = new MockHub();
const COMMIT = 'c'.repeat(40);
let folders: StaticServer;
const root = mkdtempSync(join(tmpdir(), 'se-web-'));

function writeFolder(dir: string, files: Record<string, Uint8Array>): void {
  for (const [p, b] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
}

before(async () => {
  await hub.start();
  writeFolder(join(root, 'tiny-st'), tinyModelFiles('sentence-transformers'));
  writeFolder(join(root, 'tiny-m2v'), tinyModelFiles('model2vec'));
  writeFolder(join(root, 'not-a-model'), { 'README.md': new TextEncoder().encode('# hello') });
  folders = await serveStatic({ mounts: { '/': root }, cors: true });
});
after(async () => {
  await hub.stop();
  await folders.close();
});

/** A Cache Storage stand-in with the two calls the loader uses. */
class MemoryCaches {
  readonly entries = new Map<string, Uint8Array>();
  async open(): Promise<Pick<Cache, 'match' | 'put'>> {
    return {
      match: async (key: RequestInfo | URL) => {
        const b = this.entries.get(String(key));
        return (b ? new Response(b as Uint8Array<ArrayBuffer>) : undefined) as Response;
      },
      put: async (key: RequestInfo | URL, res: Response) => {
        this.entries.set(String(key), new Uint8Array(await res.arrayBuffer()));
      },
    };
  }
}

async function withCaches<T>(c: MemoryCaches, f: () => Promise<T>): Promise<T> {
  const g = globalThis as { caches?: unknown };
  const before = g.caches;
  g.caches = c;
  try {
    return await f();
  } finally {
    g.caches = before;
  }
}

test('a folder URL, in both layouts, gives the model fromBytes gives, with progress', async () => {
  for (const layout of ['sentence-transformers', 'model2vec'] as const) {
    const seen: DownloadProgress[] = [];
    const m = await fetchPretrained(`${folders.url}/tiny-${layout === 'model2vec' ? 'm2v' : 'st'}`, {
      onProgress: (p) => seen.push(p),
      cache: false,
    });
    const ref = StaticModel.fromBytes(tinyModelFiles(layout));
    assert.deepEqual(
      [...m.encode(['hello worlds', 'good day!']).data],
      [...ref.encode(['hello worlds', 'good day!']).data],
    );
    assert.equal(m.info().layout, layout);
    const weights = layout === 'model2vec' ? 'model.safetensors' : '0_StaticEmbedding/model.safetensors';
    const last = seen.filter((p) => p.file === weights).at(-1)!;
    assert.equal(last.loaded, tinyModelFiles(layout)[weights]!.length);
    assert.equal(last.total, last.loaded);
    assert.equal(last.cached, false);
  }
});

describe('a Hub id', () => {
  const fixture = 'fixtures/synthetic-mbert-16d/st-16d-fp16';
  const caches = new MemoryCaches();
  let files: Record<string, Uint8Array>;

  test('takes the commit from the Hub API and fetches only the needed files', async (t) => {
    const dir = sharedFile(t, fixture);
    if (!dir) return;
    files = {
      'modules.json': readFileSync(join(dir, 'modules.json')),
      '0_StaticEmbedding/model.safetensors': readFileSync(join(dir, '0_StaticEmbedding/model.safetensors')),
      '0_StaticEmbedding/tokenizer.json': readFileSync(join(dir, '0_StaticEmbedding/tokenizer.json')),
      'README.md': new TextEncoder().encode('# card'),
    };
    hub.repos.set('org/web-16d', { commit: COMMIT, files });
    hub.requests = [];
    const m1 = await withCaches(caches, () => fetchPretrained('org/web-16d', { endpoint: hub.url }));
    assert.equal(m1.dim, 16);
    assert.ok(hub.requests.includes('GET /api/models/org/web-16d/revision/main'));
    assert.ok(
      hub.requests.some((r) => r === `GET /org/web-16d/resolve/${COMMIT}/0_StaticEmbedding/tokenizer.json`),
      hub.requests.join('\n'),
    );
    assert.ok(
      !hub.requests.some((r) => r.includes('README.md') || r.includes('config.json')),
      'unlisted and unneeded files are not requested',
    );
    assert.ok(
      [...caches.entries.keys()].some((k) => k.includes(`/resolve/${COMMIT}/`)),
      'files are cached under the commit',
    );
  });

  test('the cache makes the second load network-free', async (t) => {
    if (!sharedFile(t, fixture)) return;
    hub.requests = [];
    const seen: DownloadProgress[] = [];
    const m2 = await withCaches(caches, () =>
      fetchPretrained('org/web-16d', { endpoint: hub.url, onProgress: (p) => seen.push(p) }),
    );
    assert.deepEqual(hub.requests, [], 'the second load makes no request');
    assert.ok(seen.length > 0 && seen.every((p) => p.cached));
    const ref = StaticModel.fromBytes(files);
    const texts = ['Hello world', 'Grüße aus Köln', '日本語のテキスト'];
    assert.deepEqual([...m2.encode(texts).data], [...ref.encode(texts).data]);
  });

  test('a private repository needs the token', async (t) => {
    if (!sharedFile(t, fixture)) return;
    // a private repository needs the token
    hub.repos.set('org/private-16d', { commit: COMMIT, files, private: true });
    await assert.rejects(
      fetchPretrained('org/private-16d', { endpoint: hub.url, cache: false }),
      (e: StaticEmbedError) => e.code === 'NOT_FOUND' && /token/.test(e.message),
    );
    const p = await fetchPretrained('org/private-16d', { endpoint: hub.url, cache: false, token: hub.token });
    assert.equal(p.dim, 16);
  });
});

test('typed errors: 404, unreachable, truncated download, not a static model, abort, bad argument', async () => {
  const is = (code: string) => (e: unknown) => e instanceof StaticEmbedError && e.code === code;
  await assert.rejects(fetchPretrained('org/does-not-exist', { endpoint: hub.url, cache: false }), is('NOT_FOUND'));
  await assert.rejects(fetchPretrained(`${folders.url}/nothing-here/`, { cache: false }), is('NOT_FOUND'));
  await assert.rejects(
    fetchPretrained(`${folders.url}/not-a-model/`, { cache: false }),
    (e: StaticEmbedError) => e.code === 'NOT_FOUND' || e.code === 'NO_LAYOUT',
  );
  await assert.rejects(fetchPretrained('http://127.0.0.1:9/model/', { cache: false }), is('NETWORK_ERROR'));
  // config file present, weights missing: not a static model
  writeFolder(join(root, 'half'), { 'modules.json': tinyModelFiles()['modules.json']! });
  await assert.rejects(fetchPretrained(`${folders.url}/half/`, { cache: false }), is('NO_LAYOUT'));
  // a connection that drops mid-file (the mock Hub cuts the storage transfer after 1000 bytes)
  const big = { ...tinyModelFiles(), '0_StaticEmbedding/model.safetensors': paddedWeights() };
  hub.repos.set('org/drops', { commit: COMMIT, files: big });
  hub.cutAfter = 1000;
  await assert.rejects(
    fetchPretrained('org/drops', { endpoint: hub.url, cache: false }),
    (e: StaticEmbedError) => e.code === 'TRUNCATED_DOWNLOAD' && /1000 of \d+ bytes/.test(e.message),
  );
  hub.cutAfter = undefined;
  assert.equal((await fetchPretrained('org/drops', { endpoint: hub.url, cache: false })).dim, 4);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(
    fetchPretrained('org/drops', { endpoint: hub.url, cache: false, signal: ac.signal }),
    is('ABORTED'),
  );
  await assert.rejects(fetchPretrained('not an id', {}), is('INVALID_ARGUMENT'));
  await assert.rejects(fetchPretrained('./relative/', {}), is('INVALID_ARGUMENT'));
});

/** The tiny model's safetensors with a large unrelated tensor, so that the mock Hub serves it from storage. */
function paddedWeights(): Uint8Array {
  const st = tinyModelFiles()['0_StaticEmbedding/model.safetensors']!;
  const view = new DataView(st.buffer, st.byteOffset);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(st.subarray(8, 8 + n))) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const end = header['embedding.weight']!.data_offsets[1];
  header.padding = { dtype: 'U8', shape: [20_000], data_offsets: [end, end + 20_000] } as never;
  let h = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (h.length % 8)) % 8;
  h = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + h.length + end + 20_000);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(st.subarray(8 + n, 8 + n + end), 8 + h.length);
  return out;
}
