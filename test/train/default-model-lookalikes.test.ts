/**
 * The default model against English look-alikes: 36 English sentences of our own, each with a translation and an
 * English sentence that shares its words or structure but not its meaning. Goal 85 %; v2.4 reaches 10 of 36.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lookalikeScore, TRIPLES } from './lookalikes.js';

test('look-alikes: 36 sentences in 22 languages and 13 scripts, our own', () => {
  assert.equal(TRIPLES.length, 36);
  assert.ok(new Set(TRIPLES.map((t) => t[4])).size >= 12);
  assert.ok(new Set(TRIPLES.map((t) => t[3])).size >= 8);
});

test('default model: the translation outranks every English sentence, 10 of 36 or more', async () => {
  const { hits, misses } = await lookalikeScore();
  assert.ok(hits >= 10, `${hits}/${TRIPLES.length}; misses: ${misses.join(' | ')}`);
});
