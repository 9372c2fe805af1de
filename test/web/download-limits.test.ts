/** The download limits: a body held in memory has its own default cap; a set cap applies to both. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_DOWNLOAD_BYTES,
  DEFAULT_MAX_MEMORY_DOWNLOAD_BYTES,
  downloadLimits,
} from '../../src/runtime/web/limits.js';

test('no cap set: 8 GiB for files streamed to disk, 512 MiB for a body held in memory', () => {
  const l = downloadLimits({});
  assert.equal(l.maxBytes, DEFAULT_MAX_DOWNLOAD_BYTES);
  assert.equal(l.maxMemoryBytes, 512 * 2 ** 20);
  assert.equal(DEFAULT_MAX_MEMORY_DOWNLOAD_BYTES, 512 * 2 ** 20);
});

test('a cap set by option or environment is the cap of both', () => {
  assert.equal(downloadLimits({ maxDownloadBytes: 2 ** 31 }).maxMemoryBytes, 2 ** 31);
  const env = (k: string) => (k === 'STATIC_EMBED_MAX_DOWNLOAD_BYTES' ? '1000' : undefined);
  assert.deepEqual([downloadLimits({}, env).maxBytes, downloadLimits({}, env).maxMemoryBytes], [1000, 1000]);
});
