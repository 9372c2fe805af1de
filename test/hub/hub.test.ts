/** fromPretrained with Hub ids, against a local mock of the Hub: cache layout, no second request, errors. */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StaticEmbedError, StaticModel } from '../../src/node.js';
import { MockHub } from '../helpers/mock-hub.js';
import { sharedFile } from '../helpers/shared.js';
import { runCli } from '../helpers/cli.js';

const hub = new MockHub();
const COMMIT = 'a'.repeat(40);
const COMMIT2 = 'b'.repeat(40);
let files: Record<string, Uint8Array> | undefined;

before(async () => {
  await hub.start();
});
after(async () => {
  await hub.stop();
});

function stRepo(t: Parameters<typeof sharedFile>[0]): Record<string, Uint8Array> | undefined {
  if (files) return files;
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!dir) return undefined;
  files = {
    'modules.json': readFileSync(join(dir, 'modules.json')),
    'config_sentence_transformers.json': readFileSync(join(dir, 'config_sentence_transformers.json')),
    '0_StaticEmbedding/model.safetensors': readFileSync(join(dir, '0_StaticEmbedding/model.safetensors')),
    '0_StaticEmbedding/tokenizer.json': readFileSync(join(dir, '0_StaticEmbedding/tokenizer.json')),
    'README.md': new TextEncoder().encode('# model card'),
  };
  return files;
}

const cache = () => mkdtempSync(join(tmpdir(), 'se-hub-'));

describe('a Hub id', () => {
  const cacheDir = cache();
  let m1: StaticModel;

  test('downloads only the needed files into the HF cache layout', async (t) => {
    const f = stRepo(t);
    if (!f) return;
    hub.repos.set('org/static-16d', { commit: COMMIT, files: f });
    hub.requests = [];
    m1 = await StaticModel.fromPretrained('org/static-16d', { endpoint: hub.url, cacheDir });
    assert.equal(m1.dim, 16);
    assert.ok(!hub.requests.some((r) => r.includes('README.md')), 'README.md is not needed');
    const repoDir = join(cacheDir, 'models--org--static-16d');
    assert.equal(readFileSync(join(repoDir, 'refs', 'main'), 'utf8'), COMMIT);
    const pointer = join(repoDir, 'snapshots', COMMIT, '0_StaticEmbedding', 'model.safetensors');
    assert.ok(lstatSync(pointer).isSymbolicLink());
    assert.match(readlinkSync(pointer), /^\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{64}$/);
    assert.ok(existsSync(join(repoDir, '.no_exist', COMMIT, 'config.json')), '404 files are recorded');
  });

  test('a second load makes no request', async (t) => {
    if (!stRepo(t)) return;
    hub.requests = [];
    const m2 = await StaticModel.fromPretrained('org/static-16d', { endpoint: hub.url, cacheDir });
    assert.deepEqual(hub.requests, [], 'second load must not touch the network');
    assert.deepEqual([...m2.encode(['hello world']).data], [...m1.encode(['hello world']).data]);
  });

  test('then loads offline, through the environment variables too', async (t) => {
    if (!stRepo(t)) return;
    // and it works offline, through the environment variables too
    const env = { HF_HUB_CACHE: cacheDir, HF_HUB_OFFLINE: '1', HF_ENDPOINT: 'http://127.0.0.1:9' };
    const r = await runCli(['info', '--model', 'org/static-16d', '--json'], undefined, env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { dim: number }).dim, 16);
  });
});

test('revisions: a branch and a commit hash resolve to their snapshots', async (t) => {
  const f = stRepo(t);
  if (!f) return;
  hub.repos.set('org/rev', { commit: COMMIT, files: f, refs: { v2: COMMIT2 } });
  const cacheDir = cache();
  await StaticModel.fromPretrained('org/rev', { endpoint: hub.url, cacheDir, revision: 'v2' });
  assert.equal(readFileSync(join(cacheDir, 'models--org--rev', 'refs', 'v2'), 'utf8'), COMMIT2);
  await StaticModel.fromPretrained('org/rev', { endpoint: hub.url, cacheDir, revision: COMMIT });
  assert.ok(existsSync(join(cacheDir, 'models--org--rev', 'snapshots', COMMIT, '0_StaticEmbedding', 'tokenizer.json')));
  await assert.rejects(
    StaticModel.fromPretrained('org/rev', { endpoint: hub.url, cacheDir, revision: 'nope' }),
    /Revision "nope" of org\/rev does not exist/,
  );
});

test('an interrupted transfer resumes with a Range request', async (t) => {
  const f = stRepo(t);
  if (!f) return;
  hub.repos.set('org/cut', { commit: COMMIT, files: f });
  hub.cutAfter = 100_000;
  hub.requests = [];
  const m = await StaticModel.fromPretrained('org/cut', { endpoint: hub.url, cacheDir: cache() });
  assert.equal(m.dim, 16);
  assert.equal(hub.cutAfter, undefined, 'the cut happened');
  assert.ok(hub.requests.filter((r) => r.startsWith('GET /storage/')).length >= 3, 'the cut blob was requested again');
});

/** A cache whose LFS blob of the safetensors file already has a partial download with these bytes. */
function cacheWithPartial(id: string, partial: Uint8Array, body: Uint8Array): { dir: string; blob: string } {
  const dir = cache();
  const sha = createHash('sha256').update(body).digest('hex');
  const blob = join(dir, `models--${id.replace('/', '--')}`, 'blobs', sha);
  mkdirSync(dirname(blob), { recursive: true });
  writeFileSync(`${blob}.incomplete`, partial);
  return { dir, blob };
}

/** Each partial download resumed: the storage requests made, and the blob left. */
async function resumeCases(t: TestContext, which: (gets: number) => boolean): Promise<void> {
  const f = stRepo(t);
  if (!f) return;
  hub.repos.set('org/resume', { commit: COMMIT, files: f });
  const body = f['0_StaticEmbedding/model.safetensors']!;
  const sha = createHash('sha256').update(body).digest('hex');
  const cases: Array<[string, Uint8Array, number]> = [
    // the whole file already there: the range starts at the end → 416 → checked, no second transfer
    ['complete', body, 1],
    // longer than the file (a stale or foreign partial): 416 → removed and downloaded from the start
    ['too long', Buffer.concat([body, new Uint8Array(1234).fill(7)]), 2],
    // as long as the file but wrong bytes: 416 → the sha256 check fails → downloaded again
    ['same size, corrupt', new Uint8Array(body.length).fill(1), 2],
    // a corrupt prefix resumed with a 206: the sha256 (streamed over the old and the new bytes) fails → again
    ['corrupt prefix', new Uint8Array(5000).fill(3), 2],
  ];
  for (const [name, partial, gets] of cases.filter(([, , gets]) => which(gets))) {
    const { dir, blob } = cacheWithPartial('org/resume', partial, body);
    hub.ranges = [];
    const m = await StaticModel.fromPretrained('org/resume', { endpoint: hub.url, cacheDir: dir });
    assert.equal(m.dim, 16, name);
    const ranges = hub.ranges.filter((r) => r.startsWith(sha)).map((r) => r.slice(65));
    assert.equal(ranges.length, gets, `${name}: storage requests ${ranges.join(' | ')}`);
    assert.equal(ranges[0], `bytes=${partial.length}-`, `${name}: resumed with a Range request`);
    if (gets > 1) assert.equal(ranges[gets - 1], '', `${name}: the restart asks for the whole file`);
    assert.deepEqual(new Uint8Array(readFileSync(blob)), new Uint8Array(body), `${name}: the blob is the file`);
    assert.ok(!existsSync(`${blob}.incomplete`), name);
  }
}

describe('HTTP 416 on a resumed download', () => {
  test('a complete partial file is verified and kept', (t) => resumeCases(t, (gets) => gets === 1));

  test('any other partial file is downloaded again', (t) => resumeCases(t, (gets) => gets > 1));
});

describe('Hub access errors', () => {
  const isErr = (code: string, re: RegExp) => (e: unknown) =>
    e instanceof StaticEmbedError && e.code === code && re.test(e.message);

  test('a private repo needs the token', async (t) => {
    const f = stRepo(t);
    if (!f) return;
    hub.repos.set('org/private', { commit: COMMIT, files: f, private: true });
    await assert.rejects(
      StaticModel.fromPretrained('org/private', { endpoint: hub.url, cacheDir: cache() }),
      isErr('NOT_FOUND', /private or gated.*set HF_TOKEN/),
    );
    await assert.rejects(
      StaticModel.fromPretrained('org/private', { endpoint: hub.url, cacheDir: cache(), token: 'wrong' }),
      isErr('NOT_FOUND', /HF_TOKEN grants access/),
    );
    const m = await StaticModel.fromPretrained('org/private', {
      endpoint: hub.url,
      cacheDir: cache(),
      token: hub.token,
    });
    assert.equal(m.dim, 16);
  });

  test('an unknown repo is NOT_FOUND', async (t) => {
    if (!stRepo(t)) return;
    await assert.rejects(
      StaticModel.fromPretrained('org/missing', { endpoint: hub.url, cacheDir: cache() }),
      isErr('NOT_FOUND', /does not exist/),
    );
  });

  test('an offline miss is NOT_FOUND, saying offline mode is on', async (t) => {
    if (!stRepo(t)) return;
    await assert.rejects(
      StaticModel.fromPretrained('org/missing', { cacheDir: cache(), offline: true }),
      isErr('NOT_FOUND', /offline mode is on/),
    );
  });

  test('an unreachable Hub is a NETWORK_ERROR', async (t) => {
    if (!stRepo(t)) return;
    await assert.rejects(
      StaticModel.fromPretrained('org/x', { endpoint: 'http://127.0.0.1:9', cacheDir: cache() }),
      isErr('NETWORK_ERROR', /Cannot reach/),
    );
  });

  test('a repo without a model layout is NO_LAYOUT', async (t) => {
    if (!stRepo(t)) return;
    hub.repos.set('org/empty', { commit: COMMIT, files: { 'README.md': new Uint8Array(1) } });
    await assert.rejects(
      StaticModel.fromPretrained('org/empty', { endpoint: hub.url, cacheDir: cache() }),
      isErr('NO_LAYOUT', /Tried:/),
    );
  });
});
