import { availableParallelism } from 'node:os';
import { StaticEmbedError } from '../../errors.js';
import { StreamingSearch } from '../../tasks/streaming-search.js';
import type { Command } from '../command.js';
import { readTextBatches } from '../input.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';
import { Progress } from '../progress.js';
import { clip, readAllTexts } from '../texts.js';

export const search: Command = {
  name: 'search',
  summary: 'Semantic search: the corpus texts most similar to each query (the corpus is streamed, any size).',
  usage: 'static-embed search --model M --corpus FILE (--query TEXT | --queries FILE) [--top-k K] [--json]',
  details: [
    'FILE: one text per line (or .jsonl with {"text": ...}); --query may be repeated.',
    '--json: [{"query", "hits": [{"corpus_id", "score", "text"}]}] (corpus_id: 0-based index of the corpus text).',
    'The corpus is read in batches (--batch-size N, default 4096), encoded on --workers N threads (default: all cores) and',
    'scored as it streams; only the best K texts per query are kept, so memory does not grow with the corpus.',
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS, corpus: { type: 'string' }, query: { type: 'string', multiple: true }, queries: { type: 'string' }, 'top-k': { type: 'string' }, json: { type: 'boolean' },
    'batch-size': { type: 'string' }, workers: { type: 'string' }, quiet: { type: 'boolean' },
  },
  async run(args) {
    const corpusPath = args.optionalString('corpus');
    if (!corpusPath) throw new StaticEmbedError('INVALID_ARGUMENT', 'static-embed search: --corpus FILE is required (one text per line).');
    const inline = (args.values.query as string[] | undefined) ?? [];
    const qfile = args.optionalString('queries');
    if (inline.length === 0 && !qfile) throw new StaticEmbedError('INVALID_ARGUMENT', 'static-embed search: give --query TEXT (repeatable) or --queries FILE.');
    const topK = args.int('top-k', 10);
    const batch = args.int('batch-size', 4096);
    const workers = args.int('workers', availableParallelism());
    const model = await loadModelArg(args);
    model.prepareWorkers(workers);
    const queries = [...inline, ...(qfile ? await readAllTexts(qfile, 'Queries file') : [])];
    const stream = new StreamingSearch(model.encode(queries), { topK, scoreFunction: model.similarityFnName === 'dot' ? 'dot' : 'cosine' });
    // the texts of the rows some query keeps (k × queries at most), taken from each batch as it passes
    const kept = new Map<number, string>();
    const into = new Float32Array(new SharedArrayBuffer(batch * model.dim * 4));
    const progress = Progress.for(undefined, args.boolean('quiet'), 'corpus texts');
    for await (const { texts } of readTextBatches(corpusPath, batch)) {
      const first = stream.seen;
      stream.add(model.encode(texts, { workers, into }));
      const ids = stream.keptIds();
      for (const id of ids) if (id >= first) kept.set(id, texts[id - first]!);
      for (const id of kept.keys()) if (!ids.has(id)) kept.delete(id);
      progress.update(stream.seen);
    }
    progress.done(stream.seen);
    if (stream.seen === 0) throw new StaticEmbedError('INVALID_INPUT', `Corpus ${corpusPath} holds no texts.`);
    const results = stream.results();
    if (args.boolean('json')) {
      console.log(JSON.stringify(queries.map((q, i) => ({ query: q, hits: results[i]!.map((h) => ({ corpus_id: h.corpusId, score: Number(h.score.toFixed(6)), text: kept.get(h.corpusId) })) }))));
      return;
    }
    const lines: string[] = [];
    queries.forEach((q, i) => {
      lines.push(`Query: ${clip(q, 100)}`);
      results[i]!.forEach((h, r) => lines.push(`  ${String(r + 1).padStart(2)}. ${h.score.toFixed(4)}  [${h.corpusId + 1}] ${clip(kept.get(h.corpusId)!)}`));
      lines.push('');
    });
    console.log(lines.join('\n').trimEnd());
  },
};
