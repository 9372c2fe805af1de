/**
 * The dev pairs that scripts/default-model-dev.mjs scores (mixNN, mixMargin) are a set of their own: at least 20
 * pairs in at least 10 scripts, and no sentence shared with the nearest-neighbour test's pairs, so the test stays a
 * test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PAIRS } from './default-model-translations.test.js';
import { TRIPLES } from './lookalikes.js';
import { repoFile } from '../helpers/shared.js';

const dev = JSON.parse(readFileSync(repoFile('scripts/default-data/dev-translation-pairs.json'), 'utf8')) as {
  pairs: Array<[string, string, string]>;
};

test('the default model dev translation pairs: ≥ 20 pairs in ≥ 10 scripts, disjoint from the test pairs', () => {
  assert.ok(dev.pairs.length >= 20, `${dev.pairs.length} pairs`);
  assert.ok(new Set(dev.pairs.map((p) => p[2])).size >= 10);
  const testTexts = new Set(PAIRS.flatMap(([en, xx]) => [en, xx]));
  const devTexts = dev.pairs.flatMap(([en, xx]) => [en, xx]);
  assert.deepEqual(
    devTexts.filter((t) => testTexts.has(t)),
    [],
  );
  assert.equal(new Set(devTexts).size, devTexts.length, 'every dev sentence once');
});

const look = JSON.parse(readFileSync(repoFile('scripts/default-data/dev-lookalikes.json'), 'utf8')) as {
  triples: Array<[string, string, string, string]>;
};

test('the dev look-alike triples: ≥ 30 in ≥ 8 scripts, disjoint from every test sentence', () => {
  assert.ok(look.triples.length >= 30, `${look.triples.length} triples`);
  assert.ok(new Set(look.triples.map((t) => t[3])).size >= 8);
  const testTexts = new Set([...PAIRS.flatMap(([en, xx]) => [en, xx]), ...TRIPLES.flatMap((t) => t.slice(0, 3))]);
  const devTexts = look.triples.flatMap((t) => t.slice(0, 3));
  assert.deepEqual(
    devTexts.filter((t) => testTexts.has(t)),
    [],
  );
  assert.equal(new Set(devTexts).size, devTexts.length, 'every dev sentence once');
});
