/**
 * The README's screenshot of the demo: builds and serves it, loads it in headless Chromium, saves
 * examples/browser/screenshot.png.   node dist/scripts/demo-screenshot.js
 */
import { join } from 'node:path';
import { launchChromium } from './chromium.js';
import { ROOT, openDemo, startDemo } from './demo.js';

const server = await startDemo({ port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const status = await openDemo(page, `${server.url}/`);
  if (!status.startsWith('Loaded')) throw new Error(status);
  await page.waitForTimeout(300);
  const out = join(ROOT, 'examples', 'browser', 'screenshot.png');
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
