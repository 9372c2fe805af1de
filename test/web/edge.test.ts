/**
 * The edge entry (examples/edge/worker.ts: `export default { fetch }`) called as a Web-standard runtime calls it,
 * with the model fetched from a local HTTP server by the fetch-based loader: same answers as the Node server's
 * handler, one load for concurrent first requests, a failed load answers 503 and the next request retries.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import worker from '../../examples/edge/worker.js';
import { EmbeddingHandler } from '../../src/entries/server.js';
import { loadDefaultModel } from '../../src/runtime/node/default-model.js';
import { serveStatic, type StaticServer } from '../../scripts/static-server.js';
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
const request = () =>
  new Request('https://edge.example/v1/embeddings', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test(
  'export default { fetch }: a failed load answers 503, then the model loads once over fetch and answers as the Node server does',
  { timeout: 60_000 },
  async () => {
    const bad = await worker.fetch(request(), { MODEL: `${server.url}/models/nothing/` });
    assert.equal(bad.status, 503);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /NOT_FOUND/);
    server.requests.length = 0;
    const env = { MODEL: `${server.url}/models/default/` };
    const [a, b] = await Promise.all([worker.fetch(request(), env), worker.fetch(request(), env)]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(
      server.requests.filter((r) => r.endsWith('model.safetensors')).length,
      1,
      'concurrent first requests share one load',
    );
    const node = new EmbeddingHandler();
    node.addModel('default', await loadDefaultModel());
    node.setReady();
    const want = await (await node.fetch(request())).json();
    assert.deepEqual(await a.json(), want);
    const health = await worker.fetch(new Request('https://edge.example/health'));
    assert.equal(health.status, 200);
    const cors = await worker.fetch(
      new Request('https://edge.example/v1/embeddings', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      }),
    );
    assert.equal(cors.headers.get('access-control-allow-origin'), '*');
  },
);
