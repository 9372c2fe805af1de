/**
 * The library chunker in headless Chromium (the default model over fetch): every method gives in the page the chunks
 * Node gives, with exact offsets, on texts in 20+ languages. Fails instead of skipping under STATIC_EMBED_REQUIRE_BROWSER=1.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkTexts } from '../../src/index.js';
import { loadDefaultModel } from '../../src/runtime/node/default-model.js';
import { serveStatic } from '../../scripts/static-server.js';
import { chromiumFor } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { LANGUAGE_TEXTS } from '../helpers/language-texts.js';

const server = await serveStatic({ mounts: { '/': REPO_ROOT }, index: 'test/browser/runtime.html' });
after(async () => {
  await server.close();
});

test('chunkTexts in Chromium equals Node for every method, with exact offsets', { timeout: 180_000 }, async (t) => {
  const browser = await chromiumFor(t);
  if (!browser) return;
  const texts = Object.values(LANGUAGE_TEXTS);
  const page = await browser.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, {
    timeout: 60_000,
  });
  const got = await page.evaluate(async (texts) => {
    type Lib = typeof import('../../src/browser.js');
    const se = (window as unknown as { se: Lib }).se;
    const m = await se.loadDefaultModel();
    const out: Record<string, unknown> = {};
    for (const method of ['sentence', 'tokens', 'semantic'] as const)
      out[method] = se.chunkTexts(m, texts, { method, maxTokens: 12 });
    return out;
  }, texts);
  const node = await loadDefaultModel();
  for (const method of ['sentence', 'tokens', 'semantic'] as const) {
    const want = chunkTexts(node, texts, { method, maxTokens: 12 });
    assert.deepEqual(got[method], want, method);
    want.forEach((chunks, k) => chunks.forEach((c) => assert.equal(texts[k]!.slice(c.start, c.end), c.text)));
  }
  await page.close();
  await browser.close();
});
