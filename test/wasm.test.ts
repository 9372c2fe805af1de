/** The committed WebAssembly bytes are the compile of the committed .wat sources (scripts/build-wasm.mjs). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { WASM_BASE64 as POOL } from '../src/kernels/pool-wasm.js';
import { WASM_BASE64 as SEARCH } from '../src/kernels/search-wasm.js';
import { WASM_BASE64 as TRAIN } from '../src/kernels/gemm-wasm.js';
import { repoFile } from './helpers/shared.js';

test('src/kernels/*-wasm.ts are up to date with their .wat sources', async () => {
  const { compileWat } = (await import(pathToFileURL(repoFile('scripts/build-wasm.mjs')).href)) as {
    compileWat: (p: string) => Promise<string>;
  };
  assert.equal(await compileWat(repoFile('src/kernels/pool.wat')), POOL, 'run: node scripts/build-wasm.mjs');
  assert.equal(await compileWat(repoFile('src/kernels/search.wat')), SEARCH, 'run: node scripts/build-wasm.mjs');
  assert.equal(await compileWat(repoFile('src/kernels/gemm.wat')), TRAIN, 'run: node scripts/build-wasm.mjs');
});
