/**
 * The LangChain.js and AI SDK adapters against the real packages: vectors equal model.encode; a LangChain
 * retriever over 1,000 documents (MemoryVectorStore) and an AI SDK embedMany + cosineSimilarity ranking return
 * the same top-10 as semanticSearch (the examples of docs/integrations.md run in test/docs/code-blocks.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosineSimilarity, embed, embedMany } from 'ai';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { loadDefaultModel, semanticSearch } from '../../src/node.js';
import { StaticEmbeddings } from '../../src/entries/langchain.js';
import { staticEmbedding } from '../../src/entries/ai.js';
import { Random } from '../../src/math/random.js';

const WORDS = `cat dog bird fish horse market stock price bank money rain snow sun wind storm river lake sea mountain
forest city village road car train plane ship music song guitar piano film book story poem school teacher student
doctor hospital medicine food bread cheese apple coffee tea water fire house garden door window table chair computer
phone software data science physics chemistry history war peace king queen church game football tennis player team
win lose run walk sleep eat drink read write buy sell open close fast slow big small old new happy sad red blue green`
  .split(/\s+/)
  .filter((w) => w !== '');

/** Sentences of 5–9 words drawn from WORDS (deterministic). */
function documents(n: number, seed: number): string[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: 5 + rng.int(5) }, () => WORDS[rng.int(WORDS.length)]!).join(' '),
  );
}

const model = await loadDefaultModel();
const docs = documents(1000, 1);
const queries = documents(8, 2);
const rows = (texts: string[]) => {
  const m = model.encode(texts);
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.row(i)));
};
const expected = semanticSearch(model.encode(queries), model.encode(docs), { topK: 10 }).map((hits) =>
  hits.map((h) => h.corpusId),
);

test('LangChain: StaticEmbeddings vectors = model.encode; a MemoryVectorStore retriever = semanticSearch top-10', async () => {
  const emb = new StaticEmbeddings({ model, batchSize: 128, workers: 2 });
  assert.equal(emb.dimensions, model.dim);
  assert.deepEqual(await emb.embedDocuments(docs.slice(0, 300)), rows(docs.slice(0, 300)));
  assert.deepEqual(await emb.embedQuery(queries[0]!), rows([queries[0]!])[0]);
  const store = await MemoryVectorStore.fromTexts(
    docs,
    docs.map((_, i) => ({ i })),
    emb,
  );
  const retriever = store.asRetriever(10);
  for (const [k, q] of queries.entries()) {
    const got = (await retriever.invoke(q)).map((d) => (d.metadata as { i: number }).i);
    assert.deepEqual(got, expected[k], `query ${k}`);
  }
  assert.throws(() => new StaticEmbeddings({} as never), /needs \{ model: StaticModel \}/);
});

test('AI SDK: embed / embedMany vectors = model.encode; cosineSimilarity ranking = semanticSearch top-10', async () => {
  const m = staticEmbedding(model);
  // v3: `ai` 6 accepts only v2/v3 (a v4 model throws UnsupportedModelVersionError there); `ai` 7 adapts v3 to v4
  assert.equal(m.specificationVersion, 'v3');
  assert.equal(m.maxEmbeddingsPerCall, Infinity);
  assert.equal(m.supportsParallelCalls, false);
  const { embeddings, usage } = await embedMany({ model: m, values: docs });
  assert.deepEqual(embeddings, rows(docs));
  assert.ok(usage.tokens > docs.length, `usage ${JSON.stringify(usage)}`);
  for (const [k, q] of queries.entries()) {
    const { embedding } = await embed({ model: m, value: q });
    assert.deepEqual(embedding, rows([q])[0]);
    const ranked = embeddings
      .map((e, i) => ({ i, s: cosineSimilarity(embedding, e) }))
      .sort((a, b) => b.s - a.s || b.i - a.i)
      .slice(0, 10)
      .map((x) => x.i);
    assert.deepEqual(ranked, expected[k], `query ${k}`);
  }
  // `dimensions` reaches doEmbed from `ai` 7's embed (ai 6, the tested version, has no such option): the adapter's side
  const { embeddings: short } = await m.doEmbed({ values: ['cat'], dimensions: 16 });
  assert.equal(short[0]!.length, 16);
  await assert.rejects(() => m.doEmbed({ values: ['x'], dimensions: model.dim + 1 }), /dimensions must be/);
});
