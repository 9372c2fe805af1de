/**
 * Chromium for a test: launched, or the test skipped with a printed reason when it is not installed — a
 * failure instead under STATIC_EMBED_REQUIRE_BROWSER=1 (as in CI, whose .ci/run installs it).
 */
import type { TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../../scripts/chromium.js';

export async function chromiumFor(t: TestContext): Promise<Browser | undefined> {
  if (!chromiumInstalled()) {
    const reason = `needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it)`;
    if (process.env.STATIC_EMBED_REQUIRE_BROWSER === '1')
      throw new Error(`${reason}; STATIC_EMBED_REQUIRE_BROWSER=1 makes this a failure`);
    console.log(`# skipped: ${reason}`);
    t.skip(reason);
    return undefined;
  }
  return launchChromium();
}
