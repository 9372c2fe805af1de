/** Hostile Hub and URL servers on 127.0.0.1: bad names, silence, stalls and endless or oversized bodies end typed. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { StaticEmbedError, StaticModel } from '../../src/node.js';
import { fetchPretrained } from '../../src/runtime/web/pretrained.js';
import { f32Bytes, writeSafetensors } from '../../src/formats/safetensors-writer.js';
import { MockHub } from '../helpers/mock-hub.js';
import { runCliMeasured, type MeasuredCli } from '../helpers/cli-rss.js';
import { tinyModelFiles, tinyTable } from '../helpers/tiny-model.js';

const hub = new MockHub();
const GOOD = 'a'.repeat(40);
const SHA256 = 'b'.repeat(64);
const TIMEOUT_S = 1;
const CAP = 8 * 2 ** 20;
const RSS_LIMIT = 700 * 2 ** 20;
/** what a stall may take, from the last request the server received to the end of the CLI: the timeout plus 5 s */
const STALL_MS = TIMEOUT_S * 1000 + 5000;
const stalledFor = (r: MeasuredCli): number => r.endedAt - hub.lastRequestAt;

/** The tiny model with an extra 20 kB tensor, so that its weights go through the Hub's storage redirect (LFS). */
function lfsModelFiles(): Record<string, Uint8Array> {
  const files = tinyModelFiles();
  const table = tinyTable();
  files['0_StaticEmbedding/model.safetensors'] = writeSafetensors({
    'embedding.weight': { dtype: 'F32', shape: [table.length, 4], bytes: f32Bytes(table.flat()) },
    padding: { dtype: 'U8', shape: [20_000], bytes: new Uint8Array(20_000) },
  });
  return files;
}

/** Hostile answers by path: the first handler whose prefix the request path starts with answers it. */
const handlers: Array<[string, (req: IncomingMessage, res: ServerResponse, path: string) => void]> = [];

before(async () => {
  hub.override = (req, res, path) => {
    const h = handlers.find(([prefix]) => path.startsWith(prefix));
    if (!h) return false;
    h[1](req, res, path);
    return true;
  };
  await hub.start();
  hub.repos.set('org/tiny', { commit: GOOD, files: tinyModelFiles() });
});
after(async () => {
  await hub.stop();
});

/** Writes 64 KiB chunks for as long as the client reads them. */
function endless(res: ServerResponse): void {
  const chunk = new Uint8Array(1 << 16).fill(120);
  const more = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', more);
  };
  res.on('error', () => undefined);
  more();
}

/** A URL folder `/url/NAME/` serving the tiny model, with `weights` answering its model.safetensors. */
function urlFolder(name: string, weights: (res: ServerResponse) => void): string {
  const files = tinyModelFiles();
  handlers.push([
    `/url/${name}/`,
    (_req, res, path) => {
      const file = path.slice(`/url/${name}/`.length);
      if (file.endsWith('model.safetensors')) return weights(res);
      const body = files[file];
      if (!body) res.writeHead(404).end();
      else res.writeHead(200, { 'content-length': String(body.length) }).end(body);
    },
  ]);
  return `${hub.url}/url/${name}/`;
}

function sandbox(): { root: string; cache: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'se-hostile-'));
  const cache = join(root, 'cache');
  mkdirSync(cache);
  const env = {
    HF_ENDPOINT: hub.url,
    HF_HUB_CACHE: cache,
    HF_HUB_ETAG_TIMEOUT: String(TIMEOUT_S),
    HF_HUB_DOWNLOAD_TIMEOUT: String(TIMEOUT_S),
    STATIC_EMBED_MAX_DOWNLOAD_BYTES: String(CAP),
  };
  return { root, cache, env };
}

/** Every file, folder and link under `dir`, relative to it. */
function entries(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    out.push(relative(base, p));
    if (lstatSync(p).isDirectory()) out.push(...entries(p, base));
  }
  return out;
}

/** The CLI fails with `code`: exit 2, one line, no internal error, bounded memory; nothing outside the cache. */
function assertTyped(r: MeasuredCli, code: string, root: string, what: string): void {
  console.log(
    `${what}: ${code}, peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MB, ${stalledFor(r)} ms after the last request`,
  );
  assert.equal(r.code, 2, `${what}: exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line: ${r.stderr}`);
  assert.match(lines[0]!, new RegExp(`error \\[${code}\\]`), what);
  assert.doesNotMatch(r.stderr, /internal error/i, what);
  assert.ok(r.peakRss < RSS_LIMIT, `${what}: peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MB`);
  assert.deepEqual(
    entries(root).filter((e) => e !== 'cache' && !e.startsWith('cache/')),
    [],
    `${what}: nothing outside the cache`,
  );
}

test('an ETag that is a path is refused before anything is written', async () => {
  handlers.push([
    '/org/evil-etag/',
    (_req, res) =>
      res
        .writeHead(200, { 'x-repo-commit': GOOD, etag: '"../../../escaped/etag-config.json"', 'content-length': '2' })
        .end(),
  ]);
  const { root, cache, env } = sandbox();
  const r = await runCliMeasured(['info', '--model', 'org/evil-etag'], env);
  assertTyped(r, 'NETWORK_ERROR', root, 'etag');
  assert.match(r.stderr, /ETag/);
  assert.deepEqual(entries(cache), [], 'nothing written at all');
});

test('an X-Repo-Commit that is a path (on a 404) is refused before any folder is made', async () => {
  handlers.push([
    '/org/evil-commit/',
    (_req, res) =>
      res.writeHead(404, { 'x-error-code': 'EntryNotFound', 'x-repo-commit': '../../../../escaped-commit' }).end(),
  ]);
  const { root, cache, env } = sandbox();
  const r = await runCliMeasured(['info', '--model', 'org/evil-commit'], env);
  assertTyped(r, 'NETWORK_ERROR', root, 'commit');
  assert.match(r.stderr, /commit/);
  assert.deepEqual(entries(cache), []);
});

test('--revision and the revision option must be a ref or a commit: no "..", absolute path, backslash or control', async () => {
  const bad = ['../../x', 'main/../../x', '/tmp/x', 'a\\..\\b', 'a\u0000b', 'a\nb', '', 'refs//x'];
  for (const revision of bad.filter((b) => !b.includes('\u0000') && b !== '')) {
    const { root, cache, env } = sandbox();
    hub.requests = [];
    const r = await runCliMeasured(['info', '--model', 'org/tiny', '--revision', revision], env);
    assertTyped(r, 'INVALID_ARGUMENT', root, `--revision ${JSON.stringify(revision)}`);
    assert.deepEqual(hub.requests, [], 'no request made');
    assert.deepEqual(entries(cache), []);
  }
  const { cache } = sandbox();
  for (const revision of bad) {
    const isInvalid = (e: unknown): boolean => e instanceof StaticEmbedError && e.code === 'INVALID_ARGUMENT';
    await assert.rejects(
      StaticModel.fromPretrained('org/tiny', { endpoint: hub.url, cacheDir: cache, revision }),
      isInvalid,
    );
    await assert.rejects(fetchPretrained('org/tiny', { endpoint: hub.url, cache: false, revision }), isInvalid);
  }
  assert.deepEqual(entries(cache), []);
  // a real ref with slashes still works
  hub.repos.set('org/pr', { commit: GOOD, files: tinyModelFiles(), refs: { 'refs/pr/1': 'c'.repeat(40) } });
  const m = await StaticModel.fromPretrained('org/pr', { endpoint: hub.url, cacheDir: cache, revision: 'refs/pr/1' });
  assert.equal(m.dim, 4);
});

test('a HEAD that never answers ends with TIMEOUT naming the URL and HF_HUB_ETAG_TIMEOUT', async () => {
  handlers.push(['/org/silent/', () => undefined]);
  const { root, env } = sandbox();
  const r = await runCliMeasured(['info', '--model', 'org/silent'], env);
  assertTyped(r, 'TIMEOUT', root, 'silent HEAD');
  assert.match(r.stderr, /http:\/\/127\.0\.0\.1:\d+\/org\/silent\/resolve\/main\/\S+ did not answer for 1 s/);
  assert.match(r.stderr, /HF_HUB_ETAG_TIMEOUT/);
  assert.ok(stalledFor(r) < STALL_MS, `took ${stalledFor(r)} ms`);
});

test('a Hub download that stalls ends with TIMEOUT (HF_HUB_DOWNLOAD_TIMEOUT); the partial file never takes the blob name', async () => {
  hub.repos.set('org/stall', { commit: GOOD, files: lfsModelFiles() });
  hub.stallAfter = 1000;
  try {
    const { root, cache, env } = sandbox();
    const r = await runCliMeasured(['info', '--model', 'org/stall'], env);
    assertTyped(r, 'TIMEOUT', root, 'stalled Hub body');
    assert.match(r.stderr, /\/storage\/[0-9a-f]{64} sent nothing for 1 s .*HF_HUB_DOWNLOAD_TIMEOUT/);
    assert.ok(stalledFor(r) < STALL_MS, `took ${stalledFor(r)} ms`);
    const blobs = entries(join(cache, 'models--org--stall', 'blobs'));
    assert.ok(
      blobs.every((b) => /^[0-9a-f]{40}$/.test(b) || b.endsWith('.incomplete')),
      blobs.join(', '),
    );
  } finally {
    hub.stallAfter = undefined;
  }
});

test('a Hub file with a non-sha ETag is refused; one with no size that never ends stops at the cap', async () => {
  handlers.push([
    '/org/odd-etag/',
    (_req, res) => res.writeHead(200, { 'x-repo-commit': GOOD, etag: '"v1-abc"' }).end(),
  ]);
  const a = sandbox();
  const r1 = await runCliMeasured(['info', '--model', 'org/odd-etag'], a.env);
  assertTyped(r1, 'NETWORK_ERROR', a.root, 'non-sha etag');
  assert.deepEqual(entries(a.cache), []);
  handlers.push([
    '/org/endless/',
    (req, res) => {
      res.writeHead(200, { 'x-repo-commit': GOOD, etag: `"${'e'.repeat(40)}"` });
      if (req.method === 'HEAD') res.end();
      else endless(res);
    },
  ]);
  const b = sandbox();
  const r2 = await runCliMeasured(['info', '--model', 'org/endless'], b.env);
  assertTyped(r2, 'DOWNLOAD_TOO_LARGE', b.root, 'endless Hub body');
  assert.match(r2.stderr, /STATIC_EMBED_MAX_DOWNLOAD_BYTES/);
  assert.deepEqual(
    entries(b.cache).filter((e) => !lstatSync(join(b.cache, e)).isDirectory()),
    [],
    'the partial file is removed',
  );
});

test('Hub sizes past the cap are refused before the download: 2^40 announced', async () => {
  handlers.push([
    '/org/huge/',
    (_req, res) =>
      res
        .writeHead(302, {
          location: `${hub.url}/never/${SHA256}`,
          'x-repo-commit': GOOD,
          'x-linked-etag': `"${SHA256}"`,
          'x-linked-size': String(2 ** 40),
        })
        .end(),
  ]);
  const { root, cache, env } = sandbox();
  hub.requests = [];
  const r = await runCliMeasured(['info', '--model', 'org/huge'], env);
  assertTyped(r, 'DOWNLOAD_TOO_LARGE', root, '2^40 x-linked-size');
  assert.ok(!hub.requests.some((q) => q.includes('/never/')), 'no download started');
  assert.deepEqual(entries(cache), []);
});

test('a Hub body never goes past its announced size (X-Linked-Size): with or without Content-Length', async () => {
  for (const chunked of [false, true]) {
    const name = `liar-${chunked ? 'chunked' : 'sized'}`;
    handlers.push([
      `/org/${name}/`,
      (_req, res) =>
        res
          .writeHead(302, {
            location: `${hub.url}/${name}-storage/blob`,
            'x-repo-commit': GOOD,
            'x-linked-etag': `"${SHA256}"`,
            'x-linked-size': '100',
          })
          .end(),
    ]);
    handlers.push([
      `/${name}-storage/`,
      (_req, res) => {
        res.writeHead(200, chunked ? {} : { 'content-length': '20000' });
        res.end(new Uint8Array(20_000));
      },
    ]);
    const { cache } = sandbox();
    await assert.rejects(
      StaticModel.fromPretrained(`org/${name}`, { endpoint: hub.url, cacheDir: cache }),
      (e: unknown) => e instanceof StaticEmbedError && e.code === 'DOWNLOAD_TOO_LARGE' && /100/.test(e.message),
    );
    const files = entries(cache).filter((e) => !lstatSync(join(cache, e)).isDirectory());
    assert.deepEqual(files, [], `${name}: nothing kept`);
  }
});

test('a Hub file announcing 4 GiB allocates nothing from that size: a stall after 1000 bytes is a TIMEOUT', async () => {
  handlers.push([
    '/org/four-gib/',
    (req, res) => {
      const size = String(4 * 2 ** 30);
      res.writeHead(200, { 'x-repo-commit': GOOD, etag: `"${'f'.repeat(40)}"`, 'content-length': size });
      if (req.method === 'HEAD') res.end();
      else res.write(new Uint8Array(1000));
    },
  ]);
  const { root, env } = sandbox();
  const r = await runCliMeasured(['info', '--model', 'org/four-gib'], { ...env, STATIC_EMBED_MAX_DOWNLOAD_BYTES: '' });
  assertTyped(r, 'TIMEOUT', root, '4 GiB Hub file');
  assert.ok(stalledFor(r) < STALL_MS, `took ${stalledFor(r)} ms`);
});

test('URL loads: a stalled body, an endless body, Content-Length 2^40 and 4 GiB end typed, in bounded memory', async () => {
  const stalled = urlFolder('stalled', (res) =>
    res.writeHead(200, { 'content-length': '5000' }).write(new Uint8Array(100)),
  );
  const forever = urlFolder('forever', (res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    endless(res);
  });
  const huge = urlFolder('huge', (res) =>
    res.writeHead(200, { 'content-length': String(2 ** 40) }).write(new Uint8Array(10)),
  );
  const fourGib = urlFolder('four-gib', (res) =>
    res.writeHead(200, { 'content-length': String(4 * 2 ** 30) }).write(new Uint8Array(1000)),
  );
  const cases: Array<[string, string, Record<string, string>]> = [
    [stalled, 'TIMEOUT', {}],
    [forever, 'DOWNLOAD_TOO_LARGE', {}],
    // no cap set: a body held in memory stops at 512 MiB, under the RSS limit
    [forever, 'DOWNLOAD_TOO_LARGE', { STATIC_EMBED_MAX_DOWNLOAD_BYTES: '' }],
    [huge, 'DOWNLOAD_TOO_LARGE', {}],
    // a cap above 4 GiB: the announced size is allowed, and nothing is allocated from it
    [fourGib, 'TIMEOUT', { STATIC_EMBED_MAX_DOWNLOAD_BYTES: String(8 * 2 ** 30) }],
    // no cap set: past the 512 MiB of a body held in memory, refused before the download
    [fourGib, 'DOWNLOAD_TOO_LARGE', { STATIC_EMBED_MAX_DOWNLOAD_BYTES: '' }],
  ];
  for (const [url, code, extra] of cases) {
    const { root, env } = sandbox();
    const r = await runCliMeasured(['info', '--model', url], { ...env, ...extra });
    assertTyped(r, code, root, url);
    if (code === 'TIMEOUT') assert.ok(stalledFor(r) < STALL_MS, `${url}: took ${stalledFor(r)} ms`);
    assert.deepEqual(entries(root), ['cache', ...entries(join(root, 'cache')).map((e) => `cache/${e}`)]);
  }
});

test('the fetch loader (browsers, workers, edge) has the same limits as options: etagTimeout, downloadTimeout, maxDownloadBytes', async () => {
  handlers.push(['/api/models/org/silent-api/', () => undefined]);
  handlers.push([
    '/api/models/org/evil-sha/',
    (_req, res) => res.writeHead(200).end(JSON.stringify({ sha: '../../x', siblings: [] })),
  ]);
  const forever = urlFolder('forever-lib', (res) => {
    res.writeHead(200);
    endless(res);
  });
  const stalled = urlFolder('stalled-lib', (res) => res.writeHead(200).write(new Uint8Array(10)));
  const code = (c: string, re?: RegExp) => (e: unknown) =>
    e instanceof StaticEmbedError && e.code === c && (!re || re.test(e.message));
  const o = { endpoint: hub.url, cache: false, etagTimeout: 0.5, downloadTimeout: 0.5 };
  let t0 = Date.now();
  await assert.rejects(fetchPretrained('org/silent-api', o), code('TIMEOUT', /etagTimeout/));
  assert.ok(Date.now() - t0 < 5500);
  await assert.rejects(fetchPretrained('org/evil-sha', o), code('NETWORK_ERROR', /commit/));
  await assert.rejects(fetchPretrained(forever, { ...o, maxDownloadBytes: 1 << 20 }), code('DOWNLOAD_TOO_LARGE'));
  t0 = Date.now();
  await assert.rejects(fetchPretrained(stalled, o), code('TIMEOUT', /downloadTimeout/));
  assert.ok(Date.now() - t0 < 5500);
  await assert.rejects(fetchPretrained(stalled, { ...o, downloadTimeout: -1 }), code('INVALID_ARGUMENT'));
  await assert.rejects(fetchPretrained(stalled, { ...o, maxDownloadBytes: 1.5 }), code('INVALID_ARGUMENT'));
  const { cache } = sandbox();
  await assert.rejects(
    StaticModel.fromPretrained('org/silent', { endpoint: hub.url, cacheDir: cache, etagTimeout: 0.5 }),
    code('TIMEOUT', /etagTimeout/),
  );
});
