import { availableParallelism } from 'node:os';
import { StaticEmbedError } from '../../errors.js';
import { StreamingSearch } from '../../tasks/streaming-search.js';
import type { Command } from '../command.js';
import { readTextBatches } from '../io/input.js';
import { Progress } from '../io/progress.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';
import { alignRight } from '../io/display-width.js';
import { clip, readNonEmptyTexts, skippedNote, type LinedTexts } from '../io/texts.js';
import { chunkedCorpus, type ChunkRow } from '../io/chunked.js';
import { CHUNK_HELP, chunkOptionSpecs, chunkOptionsOf, methodOf } from './chunk.js';
import type { StaticModel } from '../../model/static-model.js';
import type { Args } from '../command.js';

export const search: Command = {
  name: 'search',
  summary: 'Semantic search: the corpus texts most similar to each query (the corpus is streamed, any size).',
  usage:
    'static-embed search --model M --corpus FILE (--query TEXT | --queries FILE) [--top-k K] [--json] ' +
    '[--chunk sentence|tokens|semantic [--max-tokens N] …]',
  details: [
    '--chunk METHOD: the corpus is documents (a text file, a folder of them, or .jsonl with one document per line),',
    '  cut into chunks (options as static-embed chunk); each hit names its document, offsets (UTF-16) and chunk:',
    '  --json hits are {"doc", "index", "start", "end", "score", "text"}.',
    ...CHUNK_HELP,
    'FILE: one text per line (or .jsonl with {"text": ...}); --query may be repeated.',
    '--json: [{"query", "hits": [{"corpus_id" (0-based line index), "score", "text"}]}]. Blank lines are skipped (reported on stderr with --json).',
    'The corpus is read in batches (--batch-size N, default 4096), encoded on --workers N threads (default: all cores) and',
    'scored as it streams; only the best K texts per query (with their line numbers) are kept, so memory does not grow',
    'with the corpus. --quiet: no progress line.',
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    corpus: { type: 'string' },
    query: { type: 'string', multiple: true },
    queries: { type: 'string' },
    'top-k': { type: 'string' },
    json: { type: 'boolean' },
    'batch-size': { type: 'string' },
    workers: { type: 'string' },
    quiet: { type: 'boolean' },
    chunk: { type: 'string' },
    ...chunkOptionSpecs(''),
  },
  async run(args) {
    if (args.optionalString('chunk') !== undefined) return searchChunks(args);
    const corpusPath = args.optionalString('corpus');
    if (!corpusPath) throw new StaticEmbedError('INVALID_ARGUMENT', '--corpus FILE is required (one text per line).');
    const inline = (args.values.query as string[] | undefined) ?? [];
    const qfile = args.optionalString('queries');
    if (inline.length === 0 && !qfile)
      throw new StaticEmbedError('INVALID_ARGUMENT', 'give --query TEXT (repeatable) or --queries FILE.');
    const topK = args.int('top-k', 10);
    const batch = args.int('batch-size', 4096);
    const workers = args.int('workers', availableParallelism());
    const model = await loadModelArg(args);
    model.prepareWorkers(workers);
    const q = qfile ? await readNonEmptyTexts(qfile, 'Queries file') : undefined;
    const queries = [...inline, ...(q?.texts ?? [])];
    const fn = model.similarityFnName === 'dot' ? 'dot' : 'cosine';
    const stream = new StreamingSearch(model.encode(queries), { topK, scoreFunction: fn });
    // the rows some query keeps (k × queries at most): their text and line, taken from each batch as it passes
    const kept = new Map<number, { text: string; line: number }>();
    const c: LinedTexts = { texts: [], lineOf: [], skipped: [] };
    const into = new Float32Array(new SharedArrayBuffer(batch * model.dim * 4));
    const progress = Progress.for(undefined, args.boolean('quiet'), 'corpus lines');
    let line = 0;
    for await (const b of readTextBatches(corpusPath, batch)) {
      const texts: string[] = [],
        lines: number[] = [];
      for (const t of b.texts) {
        if (t.trim() === '') c.skipped.push(line);
        else {
          texts.push(t);
          lines.push(line);
        }
        line++;
      }
      if (texts.length === 0) continue;
      const first = stream.seen;
      stream.add(model.encode(texts, { workers, into }));
      const ids = stream.keptIds();
      for (const id of ids) if (id >= first) kept.set(id, { text: texts[id - first]!, line: lines[id - first]! });
      for (const id of kept.keys()) if (!ids.has(id)) kept.delete(id);
      progress.update(line);
    }
    progress.done(line);
    if (stream.seen === 0)
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `Corpus ${corpusPath} holds no texts${line > 0 ? ` (only ${line} blank line${line === 1 ? '' : 's'})` : ''}.`,
      );
    const results = stream.results();
    const notes = [skippedNote(c, corpusPath), q ? skippedNote(q, qfile) : ''].filter((n) => n !== '');
    if (args.boolean('json')) {
      console.log(
        JSON.stringify(
          queries.map((q, i) => ({
            query: q,
            hits: results[i]!.map((h) => ({
              corpus_id: kept.get(h.corpusId)!.line,
              score: Number(h.score.toFixed(6)),
              text: kept.get(h.corpusId)!.text,
            })),
          })),
        ),
      );
      for (const n of notes) console.error(n);
      return;
    }
    const out: string[] = [];
    queries.forEach((q, i) => {
      out.push(`Query: ${clip(q, 100)}`);
      const scores = alignRight(results[i]!.map((h) => h.score.toFixed(4)));
      results[i]!.forEach((h, r) => {
        const hit = kept.get(h.corpusId)!;
        out.push(`  ${String(r + 1).padStart(2)}. ${scores[r]!}  [${hit.line + 1}] ${clip(hit.text)}`);
      });
      out.push('');
    });
    console.log([out.join('\n').trimEnd(), ...notes].join('\n'));
  },
};

/** search --chunk: documents cut into chunks; hits name the document, the offsets and the chunk. */
async function searchChunks(args: Args): Promise<void> {
  const corpusPath = args.optionalString('corpus');
  if (!corpusPath) throw new StaticEmbedError('INVALID_ARGUMENT', '--corpus FILE|DIR is required (the documents).');
  const inline = (args.values.query as string[] | undefined) ?? [];
  const qfile = args.optionalString('queries');
  if (inline.length === 0 && !qfile)
    throw new StaticEmbedError('INVALID_ARGUMENT', 'give --query TEXT (repeatable) or --queries FILE.');
  const options = chunkOptionsOf(args, methodOf(args.optionalString('chunk'), '--chunk'));
  const topK = args.int('top-k', 10);
  const model: StaticModel = await loadModelArg(args);
  const q = qfile ? await readNonEmptyTexts(qfile, 'Queries file') : undefined;
  const queries = [...inline, ...(q?.texts ?? [])];
  const fn = model.similarityFnName === 'dot' ? 'dot' : 'cosine';
  const stream = new StreamingSearch(model.encode(queries), { topK, scoreFunction: fn });
  const kept = new Map<number, ChunkRow>();
  for (const rows of chunkedCorpus(model, corpusPath, options)) {
    if (rows.length === 0) continue;
    const first = stream.seen;
    stream.add(model.encode(rows.map((r) => r.text)));
    const ids = stream.keptIds();
    for (const id of ids) if (id >= first) kept.set(id, rows[id - first]!);
    for (const id of kept.keys()) if (!ids.has(id)) kept.delete(id);
  }
  if (stream.seen === 0)
    throw new StaticEmbedError('INVALID_INPUT', `Corpus ${corpusPath} holds no text to chunk (empty documents only).`);
  const results = stream.results();
  if (args.boolean('json')) {
    const hit = (id: number, score: number) => {
      const r = kept.get(id)!;
      return { doc: r.doc, index: r.index, start: r.start, end: r.end, score: Number(score.toFixed(6)), text: r.text };
    };
    console.log(
      JSON.stringify(queries.map((q, i) => ({ query: q, hits: results[i]!.map((h) => hit(h.corpusId, h.score)) }))),
    );
    return;
  }
  const out: string[] = [];
  queries.forEach((q, i) => {
    out.push(`Query: ${clip(q, 100)}`);
    const scores = alignRight(results[i]!.map((h) => h.score.toFixed(4)));
    results[i]!.forEach((h, r) => {
      const c = kept.get(h.corpusId)!;
      out.push(`  ${String(r + 1).padStart(2)}. ${scores[r]!}  ${c.doc} [${c.start}, ${c.end}) ${clip(c.text)}`);
    });
    out.push('');
  });
  console.log(out.join('\n').trimEnd());
}
