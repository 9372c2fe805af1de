/**
 * `npm run demo:screenshot`: the README's screenshot of the demo, taken in headless Chromium, saved as
 * examples/browser/screenshot.png with the hashes of the demo's inputs beside it (screenshot.sources.json).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './chromium.js';
import { ROOT, openDemo, startDemo } from './demo.js';
import { SOURCES_RECORD, demoHashes } from './demo-sources.js';

const server = await startDemo({ port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const status = await openDemo(page, `${server.url}/`);
  if (!status.startsWith('Loaded')) throw new Error(status);
  await page.waitForTimeout(300);
  const out = join(ROOT, 'examples', 'browser', 'screenshot.png');
  await page.screenshot({ path: out, fullPage: true });
  writeFileSync(join(ROOT, SOURCES_RECORD), JSON.stringify(demoHashes(ROOT), null, 2) + '\n');
  console.log(`wrote ${out} and ${SOURCES_RECORD}`);
} finally {
  await browser.close();
  await server.close();
}
