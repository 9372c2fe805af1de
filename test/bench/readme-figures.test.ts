/** README's measured figures are the ones bench/RESULTS.md holds (bench/readme-figures.ts writes them; no hand edits). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIGURES, renderReadme } from '../../bench/readme-figures.js';
import { repoFile } from '../helpers/shared.js';

test('every marked README figure equals what bench/RESULTS.md gives', () => {
  const readme = readFileSync(repoFile('README.md'), 'utf8');
  const results = readFileSync(repoFile('bench/RESULTS.md'), 'utf8');
  const marked = [...readme.matchAll(/<!-- r:([\w-]+) -->/g)].map((m) => m[1]!);
  assert.deepEqual([...new Set(marked)].sort(), Object.keys(FIGURES).sort(), 'every figure is used, none unknown');
  assert.equal(renderReadme(readme, results), readme, 'README.md is stale: run node dist/bench/readme-figures.js');
});

test('a figure whose row is gone is an error, not a stale number', () => {
  assert.throws(
    () => renderReadme('<!-- r:tok-s -->1<!-- /r -->', '<!-- tokenize:start -->\n<!-- tokenize:end -->'),
    /no row/,
  );
  assert.throws(() => renderReadme('<!-- r:nope -->1<!-- /r -->', ''), /unknown figure/);
});

test("the README labels the timing figures with their own run (date, corpus lines, passes), not one machine's speed", () => {
  const readme = readFileSync(repoFile('README.md'), 'utf8');
  const at = (name: string) => readme.indexOf(`<!-- r:${name} -->`);
  // each group of seconds comes after the date of the run that measured it, and before the next group's date
  for (const f of ['tok-lines', 'tok-repeats', 'tok-date']) assert.ok(at(f) >= 0 && at(f) < at('tok-s'), f);
  assert.ok(at('tok-cli-s') < at('enc-date') && at('enc-date') < at('enc32-cli-s'), 'enc-date labels the encode run');
  assert.doesNotMatch(
    readme,
    /the\s+machine of `bench\/RESULTS\.md`\)/,
    'no figure is presented as the speed of one machine',
  );
  assert.match(readme, /seconds of different runs are not\s+comparable/);
});
