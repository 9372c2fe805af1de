/** README.md's and docs/models.md's similarity ranges are what scripts/similarity-ranges.ts measures (no typed numbers). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefaultModel } from '../../src/node.js';
import { KINDS, measure, pairsOf, renderTable } from '../../scripts/similarity-ranges.js';
import { REPO_ROOT, sharedFile } from '../helpers/shared.js';

/** A page's similarity-ranges table: model names of the header, then each row's cells. */
function tableOf(page: string): { models: string[]; rows: string[][] } {
  const text = readFileSync(join(REPO_ROOT, page), 'utf8');
  const m = /<!-- similarity-ranges:start -->\n([\s\S]*?)<!-- similarity-ranges:end -->/.exec(text);
  assert.ok(m, `${page} has the similarity-ranges section`);
  const lines = m[1]!.split('\n').filter((l) => l.startsWith('|'));
  const cells = (l: string) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  return {
    models: cells(lines[0]!)
      .slice(2)
      .map((c) => c.replace(/`/g, '')),
    rows: lines.slice(2).map(cells),
  };
}

test("the similarity ranges of the embedded model are the script's, in README.md and docs/models.md", async (t) => {
  const data = sharedFile(t, 'eval');
  if (!data) return;
  const model = await loadDefaultModel();
  const want = tableOf('README.md'); // the expected rendering of the embedded model's column
  const rendered = renderTable(['static-embed-default'], [measure(model, pairsOf(data))]);
  await model.close();
  const mine = rendered
    .split('\n')
    .slice(2)
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  for (const page of ['README.md', 'docs/models.md']) {
    const table = tableOf(page);
    assert.deepEqual(table, want, `${page} and README.md show the same table`);
    const col = table.models.indexOf('static-embed-default');
    assert.ok(col >= 0, `${page}: a static-embed-default column`);
    assert.deepEqual(
      table.rows.map((r) => [r[0], r[1], r[2 + col]]),
      mine.map((r) => [r[0], r[1], r[2]]),
      `${page} is stale: npm run build && node dist/scripts/similarity-ranges.js`,
    );
  }
  assert.equal(want.rows.length, KINDS.length);
});
