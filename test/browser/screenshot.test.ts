/** The README's screenshot of the demo is current: taken from the demo's sources and model as they are now. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCES_RECORD, demoHashes } from '../../scripts/demo-sources.js';
import { REPO_ROOT } from '../helpers/shared.js';

test('the screenshot was taken from the current demo sources and model (npm run demo:screenshot)', () => {
  const record = join(REPO_ROOT, SOURCES_RECORD);
  assert.ok(existsSync(join(REPO_ROOT, 'examples', 'browser', 'screenshot.png')), 'the screenshot exists');
  assert.ok(existsSync(record), `${SOURCES_RECORD} exists: run npm run demo:screenshot`);
  const recorded = JSON.parse(readFileSync(record, 'utf8')) as Record<string, string>;
  const now = demoHashes(REPO_ROOT);
  const changed = Object.keys({ ...now, ...recorded })
    .filter((f) => recorded[f] !== now[f])
    .sort();
  assert.deepEqual(changed, [], 'the screenshot is older than these files: run npm run demo:screenshot');
  assert.match(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'), /\]\(examples\/browser\/screenshot\.png\)/);
});
