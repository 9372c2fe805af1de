/** Figures in README.md and docs/ are the ones bench/RESULTS.md holds (bench/readme-figures.ts writes them). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIGURES, figurePages, renderReadme } from '../../bench/readme-figures.js';
import { repoFile } from '../helpers/shared.js';

test('every marked figure in README.md and docs/ equals what bench/RESULTS.md gives', () => {
  const results = readFileSync(repoFile('bench/RESULTS.md'), 'utf8');
  const marked = new Set<string>();
  for (const page of figurePages()) {
    const text = readFileSync(repoFile(page), 'utf8');
    for (const m of text.matchAll(/<!-- r:([\w-]+) -->/g)) marked.add(m[1]!);
    assert.equal(renderReadme(text, results), text, `${page} is stale: run node dist/bench/readme-figures.js`);
  }
  assert.deepEqual([...marked].sort(), Object.keys(FIGURES).sort(), 'every figure is used, none unknown');
});

test('a figure whose row is gone is an error, not a stale number', () => {
  assert.throws(
    () => renderReadme('<!-- r:tok-s -->1<!-- /r -->', '<!-- tokenize:start -->\n<!-- tokenize:end -->'),
    /no row/,
  );
  assert.throws(() => renderReadme('<!-- r:nope -->1<!-- /r -->', ''), /unknown figure/);
});

test("docs/benchmarks.md labels the timing figures with their own run (date, corpus lines, passes), not one machine's speed", () => {
  const page = readFileSync(repoFile('docs/benchmarks.md'), 'utf8');
  const at = (name: string) => page.indexOf(`<!-- r:${name} -->`);
  // each group of seconds comes after the date of the run that measured it, and before the next group's date
  for (const f of ['tok-lines', 'tok-repeats', 'tok-date']) assert.ok(at(f) >= 0 && at(f) < at('tok-s'), f);
  assert.ok(at('tok-cli-s') < at('enc-date') && at('enc-date') < at('enc32-cli-s'), 'enc-date labels the encode run');
  assert.doesNotMatch(
    page,
    /the\s+machine of `bench\/RESULTS\.md`\)/,
    'no figure is presented as the speed of one machine',
  );
  assert.match(page, /seconds of different runs are not\s+comparable/);
});
