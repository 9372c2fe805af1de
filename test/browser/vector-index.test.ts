/**
 * VectorIndex on Web Workers in headless Chromium: on a cross-origin isolated page, `searchAsync({ threads })`
 * splits exact, int8 and binary searches over Web Workers (the page's thread takes one share); every hit — ids and
 * float scores, bit for bit — equals the page's one-thread search and Node's (one thread and worker threads). On an
 * ordinary page (no SharedArrayBuffer) the same calls run on the page's thread with the plain kernels: same hits.
 * Fails instead of skipping under STATIC_EMBED_REQUIRE_BROWSER=1.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorIndex } from '../../src/node.js';
import type { SearchHit } from '../../src/tasks/search.js';
import { serveStatic } from '../../scripts/static-server.js';
import { chromiumFor } from '../helpers/chromium.js';
import { clustered, rows } from '../helpers/clustered.js';
import { REPO_ROOT } from '../helpers/shared.js';

const N = 70_000,
  D = 64,
  NQ = 48,
  SEED = 5,
  DUP = 89;
const MODES = ['exact', 'int8', 'binary'] as const;
type Mode = (typeof MODES)[number];
interface PageResult {
  isolated: boolean;
  kernel: string;
  kernelWorkers: number;
  posted: number;
  one: Record<Mode, SearchHit[][]>;
  differs: string[];
}

const isolatedServer = await serveStatic({
  mounts: { '/': REPO_ROOT },
  index: 'test/browser/runtime.html',
  isolate: true,
});
const plainServer = await serveStatic({ mounts: { '/': REPO_ROOT }, index: 'test/browser/runtime.html' });
after(async () => {
  await isolatedServer.close();
  await plainServer.close();
});

/** Node's hits for the same corpus and queries, one thread (checked against two worker threads). */
function nodeHits(): Record<Mode, SearchHit[][]> {
  const all = clustered(N + NQ, D, SEED, DUP);
  const X = rows(all, 0, N),
    Q = rows(all, N, N + NQ);
  Q.data.set(X.data.subarray(D, 2 * D));
  const index = VectorIndex.build(X, { int8: true });
  const out = {} as Record<Mode, SearchHit[][]>;
  for (const mode of MODES) {
    out[mode] = index.search(Q, { topK: 10, mode });
    assert.deepEqual(index.search(Q, { topK: 10, mode, threads: 2 }), out[mode]);
  }
  return out;
}

for (const isolated of [true, false])
  test(
    isolated
      ? 'cross-origin isolated page: searchAsync on 2 and 3 Web Workers = 1 thread = Node, exact/int8/binary'
      : 'ordinary page (no SharedArrayBuffer): search and searchAsync with threads on the page thread = Node',
    {
      timeout: 180_000,
    },
    async (t) => {
      const browser = await chromiumFor(t);
      if (!browser) return;
      try {
        const page = await browser.newPage();
        await page.goto(`${(isolated ? isolatedServer : plainServer).url}/`);
        await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, {
          timeout: 60_000,
        });
        const r = await page.evaluate(
          async ({ N, D, NQ, SEED, DUP, MODES }) => {
            type Lib = typeof import('../../src/browser.js');
            type Helpers = typeof import('../helpers/clustered.js');
            const se = (window as unknown as { se: Lib }).se;
            // count the kernel workers the library starts and the jobs posted to them
            const counts = { kernelWorkers: 0, posted: 0 };
            const Native = window.Worker;
            window.Worker = class extends Native {
              constructor(url: string | URL, options?: WorkerOptions) {
                super(url, options);
                if (String(url).includes('kernel-worker')) {
                  counts.kernelWorkers++;
                  const post = this.postMessage.bind(this) as (m: unknown) => void;
                  this.postMessage = (m: unknown) => {
                    counts.posted++;
                    post(m);
                  };
                }
              }
            };
            const h = (await import('/dist/test/helpers/clustered.js' as string)) as Helpers;
            const all = h.clustered(N + NQ, D, SEED, DUP);
            const X = h.rows(all, 0, N),
              Q = h.rows(all, N, N + NQ);
            Q.data.set(X.data.subarray(D, 2 * D)); // the first query is the duplicated row: exactly tied hits
            const index = se.VectorIndex.build(X, { int8: true });
            const one = {} as Record<string, unknown>,
              differs: string[] = [];
            for (const mode of MODES) {
              const base = index.search(Q, { topK: 10, mode });
              one[mode] = base;
              const want = JSON.stringify(base);
              for (const threads of [2, 3, 2]) {
                const got = await index.searchAsync(Q, { topK: 10, mode, threads });
                if (JSON.stringify(got) !== want) differs.push(`${mode} on ${threads} threads`);
              }
              // concurrent searches on one index
              const both = await Promise.all(
                [2, 3].map((threads) => index.searchAsync(Q, { topK: 10, mode, threads })),
              );
              if (both.some((g) => JSON.stringify(g) !== want)) differs.push(`${mode}: concurrent searchAsync`);
              // the page's thread cannot block: search with threads runs on it, same results
              if (JSON.stringify(index.search(Q, { topK: 10, mode, threads: 2 })) !== want)
                differs.push(`${mode}: search`);
            }
            window.Worker = Native;
            return { isolated: crossOriginIsolated, kernel: index.kernel, ...counts, one, differs };
          },
          { N, D, NQ, SEED, DUP, MODES },
        );
        const res = r as unknown as PageResult;
        assert.equal(res.isolated, isolated);
        assert.equal(res.kernel, isolated ? 'wasm-simd' : 'js');
        assert.deepEqual(res.differs, [], 'threads give the one-thread results');
        assert.equal(res.kernelWorkers, isolated ? 2 : 0, 'kernel Web Workers started (3 threads = the page + 2)');
        assert.equal(
          res.posted,
          isolated ? MODES.length * (1 + 2 + 1 + (1 + 2)) : 0,
          'each searchAsync on T threads posted its job to T − 1 workers',
        );
        // Node: the same bits
        const node = nodeHits();
        for (const mode of MODES)
          assert.deepEqual(res.one[mode], node[mode], `${mode}: Chromium = Node, every id and score`);
        assert.ok(
          res.one.exact[0]!.every((x) => x.score === res.one.exact[0]![0]!.score),
          'the tied query',
        );
      } finally {
        await browser.close();
      }
    },
  );
