/**
 * The edge entry (examples/edge/worker.ts: `export default { fetch }`) called as a Web-standard runtime calls it,
 * with the model fetched from a local HTTP server by the fetch-based loader: same answers as the Node server's
 * handler, one load for concurrent first requests, a failed load answers 503 and the next request retries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import worker from '../../examples/edge/worker.js';
import { EmbeddingHandler } from '../../src/entries/server.js';
import { loadDefaultModel } from '../../src/runtime/node/default-model.js';
import { serveStatic, type StaticServer } from '../../scripts/static-server.js';
import { requestTo } from '../helpers/request.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { join } from 'node:path';

let server: StaticServer;
before(async () => {
  server = await serveStatic({ mounts: { '/models/': join(REPO_ROOT, 'models') } });
});
after(() => server.close());

const body = {
  input: ['The cat sits on the mat.', 'Le chat est assis sur le tapis.', 'A stock market crash'],
  model: 'default',
};
/** Requests to the worker as a Web-standard runtime sends them, with its `env`. */
const edge = (env?: Record<string, string>) =>
  requestTo({ fetch: (r: Request) => worker.fetch(r, env) }, 'https://edge.example');
const embed = (env?: Record<string, string>) =>
  edge(env)('/v1/embeddings', { headers: { 'content-type': 'application/json' }, json: body });

describe('export default { fetch }', { timeout: 60_000 }, () => {
  let a: Response;

  test('a failed load answers 503', async () => {
    const bad = await embed({ MODEL: `${server.url}/models/nothing/` });
    assert.equal(bad.status, 503);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /NOT_FOUND/);
  });

  test('then the model loads once over fetch, for concurrent first requests', async () => {
    server.requests.length = 0;
    const env = { MODEL: `${server.url}/models/default/` };
    const [first, b] = await Promise.all([embed(env), embed(env)]);
    a = first;
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(
      server.requests.filter((r) => r.endsWith('model.safetensors')).length,
      1,
      'concurrent first requests share one load',
    );
  });

  test('it answers as the Node server does', async () => {
    const node = new EmbeddingHandler();
    node.addModel('default', await loadDefaultModel());
    node.setReady();
    const want = await (
      await requestTo(node, 'https://edge.example')('/v1/embeddings', {
        headers: { 'content-type': 'application/json' },
        json: body,
      })
    ).json();
    assert.deepEqual(await a.json(), want);
  });

  test('/health answers 200', async () => {
    const health = await edge()('/health');
    assert.equal(health.status, 200);
  });

  test('a preflight from any origin is allowed', async () => {
    const cors = await edge()('/v1/embeddings', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(cors.headers.get('access-control-allow-origin'), '*');
  });
});
