/** StaticSemanticSplitter with the real @langchain/textsplitters and @langchain/core: splitText and splitDocuments. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Document } from '@langchain/core/documents';
import { TextSplitter } from '@langchain/textsplitters';
import { chunkText, loadDefaultModel } from '../../src/node.js';
import { StaticSemanticSplitter } from '../../src/entries/langchain.js';

const CATS = 'Cats sleep most of the day. Kittens play with wool. A happy cat purrs. Cats like to eat fish.';
const MARKETS = 'The stock market fell today. Investors sold bank shares. Interest rates rose. Bonds lost value.';

test('StaticSemanticSplitter is a real TextSplitter: splitText equals chunkText, splitDocuments keeps metadata', async () => {
  const model = await loadDefaultModel();
  const splitter = new StaticSemanticSplitter({ model, maxTokens: 24, percentile: 50, window: 2 });
  assert.ok(splitter instanceof TextSplitter);
  const text = `${CATS} ${MARKETS}`;
  const parts = await splitter.splitText(text);
  assert.deepEqual(
    parts,
    chunkText(model, text, { maxTokens: 24, percentile: 50, window: 2 }).map((c) => c.text),
  );
  assert.ok(parts.length >= 2 && parts.every((p) => text.includes(p)));
  const docs = await splitter.splitDocuments([
    new Document({ pageContent: text, metadata: { source: 'a.txt' } }),
    new Document({
      pageContent: 'ประเทศไทยมีประชากรประมาณ 70 ล้านคน กรุงเทพมหานครเป็นเมืองหลวง',
      metadata: { source: 'th' },
    }),
  ]);
  assert.ok(docs.length >= 3);
  for (const d of docs) assert.ok(['a.txt', 'th'].includes(d.metadata.source as string));
  assert.ok(docs.some((d) => d.metadata.source === 'th'));
  const byTokens = new StaticSemanticSplitter({ model, method: 'tokens', maxTokens: 8, chunkOverlap: 2 });
  const windows = await byTokens.splitText(text);
  assert.ok(windows.length > 4);
  assert.throws(() => new StaticSemanticSplitter({ model, maxTokens: 4, overlap: 4 }), /overlap \(4\) must be below/);
});
