/**
 * Layout probing over fetch, real sockets: the default model with no request for an absent file; behind an SPA
 * fallback an HTML answer counts as absent (the model2vec layout loads), and an absent model's error names it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { StaticEmbedError, StaticModel } from '../../src/index.js';
import { fetchPretrained } from '../../src/runtime/web/pretrained.js';
import { serveStatic, type StaticServer } from '../../scripts/static-server.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

let plain: StaticServer, spa: Server, spaUrl: string;
const spaRequests: string[] = [];
const m2v = tinyModelFiles('model2vec');

before(async () => {
  plain = await serveStatic({ mounts: { '/models/default/': join(REPO_ROOT, 'models', 'default') } });
  // a dev server: /m2v/ holds a model2vec folder (one file served as JSON without a type); anything else is the app
  spa = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    spaRequests.push(path);
    const file = path.startsWith('/m2v/') ? m2v[path.slice('/m2v/'.length)] : undefined;
    if (file) res.writeHead(200, path.endsWith('config.json') ? {} : { 'content-type': 'application/octet-stream' });
    else res.writeHead(200, { 'content-type': 'text/html' });
    res.end(file ?? '<!doctype html><title>app</title><div id="app"></div>');
  });
  await new Promise<void>((r) => spa.listen(0, '127.0.0.1', r));
  spaUrl = `http://127.0.0.1:${(spa.address() as AddressInfo).port}`;
});
after(async () => {
  await plain.close();
  await new Promise((r) => spa.close(r));
});

test('the default model over fetch: modules.json first, no request for a file it does not have', async () => {
  const m = await fetchPretrained(`${plain.url}/models/default/`, { cache: false });
  assert.equal(m.info().layout, 'sentence-transformers');
  const asked = plain.requests.map((r) => r.replace('GET /models/default/', ''));
  assert.deepEqual(asked.sort(), [
    '0_StaticEmbedding/model.safetensors',
    '0_StaticEmbedding/tokenizer.json',
    'config_sentence_transformers.json',
    'modules.json',
  ]);
  for (const f of asked) assert.ok(statSync(join(REPO_ROOT, 'models', 'default', f)).size > 0, f);
  assert.ok(existsSync(join(REPO_ROOT, 'models', 'default', 'modules.json')));
  await m.close();
});

test('behind an SPA fallback: HTML answers count as absent, and the model2vec folder loads', async () => {
  spaRequests.length = 0;
  const m = await fetchPretrained(`${spaUrl}/m2v/`, { cache: false });
  assert.equal(m.info().layout, 'model2vec');
  const want = StaticModel.fromBytes(m2v).encode(['hello world']).data;
  assert.deepEqual(m.encode(['hello world']).data, want);
  assert.equal(spaRequests[0], '/m2v/modules.json', 'modules.json first (answered with HTML here)');
});

test('behind an SPA fallback with no model: NOT_FOUND naming the HTML answers', async () => {
  const e = await fetchPretrained(`${spaUrl}/models/default/`, { cache: false }).catch((x: unknown) => x);
  assert.ok(e instanceof StaticEmbedError);
  assert.equal(e.code, 'NOT_FOUND');
  assert.match(
    e.message,
    /For modules\.json, .*config_sentence_transformers\.json.* the server answered HTML: an SPA fallback\?/,
  );
  assert.match(e.message, /public\//);
  assert.doesNotMatch(e.message, /not valid UTF-8 JSON/);
});

test('an HTML page served as JSON (no text/html type) is recognized by its first byte', async () => {
  const files = new Map(Object.entries(tinyModelFiles('model2vec')));
  files.set('config.json', new TextEncoder().encode('<!doctype html><p>app</p>'));
  // served by the static server from a folder: config.json gets application/json
  const dir = mkdtempSync(join(tmpdir(), 'se-probe-'));
  for (const [p, b] of files) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
  const s = await serveStatic({ mounts: { '/': dir } });
  try {
    const e = await fetchPretrained(`${s.url}/`, { cache: false }).catch((x: unknown) => x);
    // without config.json the folder is a StaticEmbedding module folder (model.safetensors + tokenizer.json)
    assert.ok(!(e instanceof Error), String(e));
    assert.equal((e as StaticModel).info().layout, 'StaticEmbedding module');
    assert.ok(readFileSync(join(dir, 'config.json'), 'utf8').startsWith('<'));
  } finally {
    await s.close();
  }
});
