/**
 * The default model's card (written by scripts/default-model-card.mjs) tells the truth about what it describes: its
 * front matter's library_name is the library that reads the committed table (as `convert` writes it for a copy), and
 * its two dev STSb aggregations (ten languages pooled, mean of ten per-language scores) are each labelled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadDefaultModel } from '../../src/node.js';
import { libraryName, type SaveDtype, type SaveLayout } from '../../src/transform/save.js';
import { repoFile } from '../helpers/shared.js';

const card = readFileSync(repoFile('models/default/README.md'), 'utf8');

test("the default model card's library_name is the library that reads its table (int8: static-embed only)", async () => {
  const model = await loadDefaultModel();
  const info = model.info();
  await model.close();
  const dtypes: Record<string, SaveDtype> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', 'I8+scales': 'int8' };
  const front = /^---\n([\s\S]*?)\n---\n/.exec(card)![1]!;
  const expected = libraryName(info.layout as SaveLayout, dtypes[info.dtype]!);
  assert.match(front, new RegExp(`^library_name: ${expected}$`, 'm'));
  if (info.dtype === 'I8+scales') {
    assert.equal(expected, 'static-embed');
    // and the body says how to get a copy sentence-transformers reads
    assert.match(card, /sentence-transformers cannot read int8 tables/);
    assert.match(card, /static-embed convert --model models\/default --out \S+ --dtype float16/);
  }
});

test('the card labels its two dev STSb aggregations: mean of per-language Spearman, and the ten languages pooled', () => {
  const section = (name: string) => {
    const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(card);
    assert.ok(m, `section ${name}`);
    return m[1]!;
  };
  assert.match(
    section('default-model-summary'),
    /^\| STSb multi-mt dev, 10-language average \(mean of per-language Spearman\) \|/m,
  );
  assert.match(section('default-model-dev-runs'), /^\| recipe \| .* \| STSb dev \(mean of 10 languages\) \|/m);
  const recipes = section('default-model-recipes');
  assert.match(recipes, /^\| run \| .* \| dev STSb Spearman @256 \(10 languages pooled\) \|$/m);
  assert.match(recipes, /pooled into one set .* mean of the ten per-language Spearman correlations/);
  // docs/models.md's copy of the summary is the same table
  assert.ok(readFileSync(repoFile('docs/models.md'), 'utf8').includes(section('default-model-summary')));
});
