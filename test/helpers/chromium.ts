/**
 * Chromium for a test: launched, or the test skipped with a printed reason when it is not installed — a
 * failure instead under STATIC_EMBED_REQUIRE_BROWSER=1 (as in CI, whose .ci/run installs it).
 */
import type { TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium } from '../../scripts/chromium.js';
import { gate } from './shared.js';

export async function chromiumFor(t: TestContext): Promise<Browser | undefined> {
  if (!chromiumInstalled()) {
    gate(
      t,
      `needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it)`,
      'STATIC_EMBED_REQUIRE_BROWSER',
    );
    return undefined;
  }
  return launchChromium();
}
