/**
 * The default model's memory in Chromium after load, on an ordinary page and on a cross-origin isolated page with two
 * Web Workers: JS heaps (page and workers, after a collection) plus their ArrayBuffers plus the WebAssembly memories
 * and SharedArrayBuffers (each counted once, as shared) stay within 45 MB: the int8 table is held once, as stored.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, CDPSession } from 'playwright-core';
import { serveStatic, type StaticServer } from '../../scripts/static-server.js';
import { chromiumFor } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/shared.js';

const LIMIT = 45e6;
let plain: StaticServer, isolated: StaticServer;
let browser: Browser | undefined;

before(async () => {
  const mounts = { '/': REPO_ROOT };
  plain = await serveStatic({ mounts, index: 'test/browser/runtime.html' });
  isolated = await serveStatic({ mounts, index: 'test/browser/runtime.html', isolate: true });
});
after(async () => {
  await browser?.close();
  await plain.close();
  await isolated.close();
});

/** In the page, before any script: every WebAssembly.Memory and SharedArrayBuffer made, held weakly, summed. */
function trackSharedBuffers(): void {
  const live: Array<WeakRef<WebAssembly.Memory | SharedArrayBuffer>> = [];
  const g = globalThis as unknown as Record<string, unknown> & { WebAssembly: Record<string, unknown> };
  const Memory = WebAssembly.Memory;
  // subclasses that record each instance; `instanceof` still answers for every memory and buffer
  g.WebAssembly.Memory = class extends Memory {
    constructor(d: WebAssembly.MemoryDescriptor) {
      super(d);
      live.push(new WeakRef(this));
    }
    static override [Symbol.hasInstance](x: unknown): boolean {
      return x instanceof Memory;
    }
  };
  const Sab = globalThis.SharedArrayBuffer;
  if (typeof Sab === 'function') {
    g.SharedArrayBuffer = class extends Sab {
      constructor(n: number) {
        super(n);
        live.push(new WeakRef(this));
      }
      static override [Symbol.hasInstance](x: unknown): boolean {
        return x instanceof Sab;
      }
    };
  }
  g.sharedBufferBytes = () =>
    live.reduce((s, r) => {
      const b = r.deref();
      return s + (b === undefined ? 0 : b instanceof Memory ? b.buffer.byteLength : b.byteLength);
    }, 0);
}

/** A target's JS heap and the ArrayBuffers only it holds, after a collection, through a CDP session. */
type Send = (method: string) => Promise<{ usedSize: number; backingStorageSize: number }>;
async function ownBytes(send: Send): Promise<number> {
  await send('HeapProfiler.collectGarbage');
  const u = await send('Runtime.getHeapUsage');
  return u.usedSize + u.backingStorageSize;
}

/** Each worker's own bytes, through the browser's CDP session (worker targets attached without flattening). */
async function workersBytes(session: CDPSession): Promise<number[]> {
  const { targetInfos } = await session.send('Target.getTargets');
  const pending = new Map<number, (r: never) => void>();
  let next = 1;
  session.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id: number; result: never };
    pending.get(m.id)?.(m.result);
  });
  const out: number[] = [];
  for (const t of targetInfos.filter((x) => x.type === 'worker')) {
    const { sessionId } = await session.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
    const send = ((method: string) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        void session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
      })) as Send;
    out.push(await ownBytes(send));
  }
  return out;
}

for (const isolation of [false, true]) {
  test(
    `${isolation ? 'cross-origin isolated page with 2 Web Workers' : 'ordinary page'}: the default model takes ≤ 45 MB ` +
      '(JS heaps + ArrayBuffers + WebAssembly memory + SharedArrayBuffers)',
    { timeout: 180_000 },
    async (t) => {
      browser ??= await chromiumFor(t);
      if (!browser) return;
      const context = await browser.newContext();
      await context.addInitScript(trackSharedBuffers);
      const page = await context.newPage();
      await page.goto(`${(isolation ? isolated : plain).url}/`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const info = await page.evaluate(
        async (workers) => {
          const se = (window as unknown as { se: { loadDefaultModel(): Promise<unknown> } }).se;
          type M = { info(): { tableDtype: string; tableBytes: number }; encodeAsync(t: string[], o: object): unknown };
          const m = (await se.loadDefaultModel()) as M;
          (window as unknown as { model: M }).model = m;
          if (workers) await m.encodeAsync(['the workers start and load the model', 'from shared memory'], { workers });
          return m.info();
        },
        isolation ? 2 : 0,
      );
      assert.equal(info.tableDtype, 'int8');
      const cdp = await context.newCDPSession(page);
      const pageBytes = await ownBytes((m) => cdp.send(m as 'Runtime.getHeapUsage'));
      const shared = await page.evaluate(() =>
        (globalThis as unknown as { sharedBufferBytes(): number }).sharedBufferBytes(),
      );
      const workers = isolation ? await workersBytes(await browser.newBrowserCDPSession()) : [];
      assert.equal(workers.length, isolation ? 2 : 0, 'the workers are running');
      const total = pageBytes + shared + workers.reduce((a, b) => a + b, 0);
      const mb = (x: number) => `${(x / 1e6).toFixed(1)} MB`;
      const what = `page ${mb(pageBytes)} + WebAssembly/shared ${mb(shared)} + workers ${workers.map(mb).join(', ') || 'none'}`;
      console.log(`# ${isolation ? 'isolated' : 'ordinary'} page: ${mb(total)} = ${what}`);
      assert.ok(shared >= info.tableBytes, `the table lives in WebAssembly memory (${what})`);
      assert.ok(total <= LIMIT, `${mb(total)} > 45 MB: ${what}`);
      await context.close();
    },
  );
}
