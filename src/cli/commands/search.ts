import { availableParallelism } from 'node:os';
import { StaticEmbedError } from '../../errors.js';
import { StreamingSearch, type SearchHit } from '../../tasks/streaming-search.js';
import type { StaticModel } from '../../model/static-model.js';
import { CorpusSpill } from '../io/corpus-spill.js';
import { Output } from '../io/output.js';
import type { Command } from '../command.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { noTextsError, readTextBatches } from '../io/input.js';
import type { InputPolicy } from '../io/input-policy.js';
import { Progress } from '../io/progress.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';
import { alignRight } from '../io/display-width.js';
import { SkippedLines, clip, skippedNote } from '../io/texts.js';
import { CHUNK_HELP, chunkOptionSpecs } from './chunk.js';
import { searchChunks } from './search-chunks.js';

export const search: Command = {
  name: 'search',
  summary: 'Semantic search: the corpus texts most similar to each query (the corpus is streamed, any size).',
  usage:
    'static-embed search [--model M] --corpus FILE (--query TEXT | --queries FILE) [--top-k K] [--json] ' +
    '[--chunk sentence|tokens|semantic [--max-tokens N] …]',
  details: [
    '--chunk METHOD: the corpus is documents (a text file, a folder of them, or .jsonl with one document per line),',
    '  cut into chunks (options as static-embed chunk); each hit names its document, offsets (UTF-16) and chunk:',
    '  --json hits are {"doc", "index", "start", "end", "score", "text"}. METHOD: semantic, sentence or tokens.',
    ...CHUNK_HELP,
    'FILE: one text per line (or .jsonl with {"text": ...}); --query may be repeated.',
    'Each hit shows its rank, score and [line number] (from 1). --json: [{"query", "hits": [{"corpus_id" (0-based line ' +
      'index, as sentence-transformers counts), "line" (from 1, as the text output shows it), "score", "text"}]}].',
    'Blank lines are skipped (reported on stderr with --json).',
    'The corpus is read in batches (--batch-size N, default 4096), encoded on --workers N threads (default: all cores) and',
    'scored as it streams; only the best K texts per query (with their line numbers) are kept, so memory does not grow',
    'with the corpus. Queries are read in batches of 16,384: with more, the corpus is embedded once into a temporary',
    'file (rows × dim × 4 bytes, in the system temp folder) that each batch scans, so memory does not grow with the',
    'queries either (about 16,384 × (4·dim + 12·K) bytes for a batch, plus one corpus batch). --quiet: no progress line.',
    ...INPUT_HELP,
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    ...INPUT_OPTIONS,
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
    const qSkipped = new SkippedLines();
    const queries = queryBatches(inline, qfile, qSkipped, args.inputPolicy)[Symbol.asyncIterator]();
    const first = (await queries.next()).value as string[];
    const second = await queries.next();
    const job: SearchJob = {
      model,
      corpusPath,
      inputPolicy: args.inputPolicy,
      topK,
      batch,
      workers,
      quiet: args.boolean('quiet'),
    };
    const printer = new HitPrinter(args.boolean('json'));
    let cSkipped: SkippedLines;
    if (second.done) cSkipped = await searchOnePass(job, first, printer);
    else {
      async function* rest() {
        yield second.value as string[];
        for (let r = await queries.next(); !r.done; r = await queries.next()) yield r.value;
      }
      cSkipped = await searchManyPasses(job, first, rest(), printer);
    }
    await printer.end([skippedNote(cSkipped, corpusPath), skippedNote(qSkipped, qfile)].filter((n) => n !== ''));
  },
};

/** Queries scored in one pass over the corpus: memory O(QUERY_BATCH × (dim + k)), whatever the number of queries. */
const QUERY_BATCH = 16_384;

interface SearchJob {
  model: StaticModel;
  corpusPath: string;
  inputPolicy: InputPolicy;
  topK: number;
  batch: number;
  workers: number;
  quiet: boolean;
}

/** The queries (--query texts, then the non-blank lines of --queries FILE) in batches of QUERY_BATCH. */
async function* queryBatches(
  inline: string[],
  file: string | undefined,
  skipped: SkippedLines,
  policy: InputPolicy,
): AsyncGenerator<string[]> {
  let batch = [...inline],
    line = 0,
    texts = 0;
  if (file)
    for await (const b of readTextBatches(file, policy, 8192, 'text', '--queries'))
      for (const t of b.texts) {
        if (t.trim() === '') skipped.add(line);
        else {
          batch.push(t);
          texts++;
        }
        line++;
        if (batch.length >= QUERY_BATCH) {
          yield batch;
          batch = [];
        }
      }
  // a .jsonl file whose texts are all blank
  if (file && texts === 0) throw noTextsError(`--queries ${file}`, line);
  if (batch.length > 0) yield batch;
}

/** The corpus in batches of non-blank texts with their 0-based lines (blank lines counted into `skipped`). */
async function* corpusBatches(
  job: SearchJob,
  skipped: SkippedLines,
): AsyncGenerator<{ texts: string[]; lines: number[] }> {
  const progress = Progress.for(undefined, job.quiet, 'corpus lines');
  let line = 0;
  for await (const b of readTextBatches(job.corpusPath, job.inputPolicy, job.batch, 'text', '--corpus')) {
    const texts: string[] = [],
      lines: number[] = [];
    for (const t of b.texts) {
      if (t.trim() === '') skipped.add(line);
      else {
        texts.push(t);
        lines.push(line);
      }
      line++;
    }
    if (texts.length > 0) yield { texts, lines };
    progress.update(line);
  }
  progress.done(line);
  // a .jsonl corpus whose texts are all blank
  if (line === skipped.count) throw noTextsError(`--corpus ${job.corpusPath}`, line);
}

const newSearch = (job: SearchJob, queries: string[]) =>
  new StreamingSearch(job.model.encode(queries), {
    topK: job.topK,
    scoreFunction: job.model.similarityFnName === 'dot' ? 'dot' : 'cosine',
  });

/** All queries at once: the corpus streamed past them, keeping the text and line of the rows some query holds. */
async function searchOnePass(job: SearchJob, queries: string[], printer: HitPrinter): Promise<SkippedLines> {
  const stream = newSearch(job, queries);
  // the rows some query keeps (k × queries at most): their text and line, taken from each batch as it passes
  const kept = new Map<number, { text: string; line: number }>();
  const skipped = new SkippedLines();
  const into = new Float32Array(new SharedArrayBuffer(job.batch * job.model.dim * 4));
  for await (const { texts, lines } of corpusBatches(job, skipped)) {
    const first = stream.seen;
    stream.add(job.model.encode(texts, { workers: job.workers, into }));
    const ids = stream.keptIds();
    for (const id of ids) if (id >= first) kept.set(id, { text: texts[id - first]!, line: lines[id - first]! });
    for (const id of kept.keys()) if (!ids.has(id)) kept.delete(id);
  }
  await printer.print(queries, stream.results(), (id) => kept.get(id)!);
  return skipped;
}

/**
 * More queries than one pass holds: the corpus is embedded once into a temporary spill on disk (while the first
 * batch of queries is scored), then every further batch scans the spill.
 */
async function searchManyPasses(
  job: SearchJob,
  first: string[],
  rest: AsyncIterable<string[]>,
  printer: HitPrinter,
): Promise<SkippedLines> {
  const spill = new CorpusSpill(job.model.dim);
  try {
    const skipped = new SkippedLines();
    let stream = newSearch(job, first);
    const into = new Float32Array(new SharedArrayBuffer(job.batch * job.model.dim * 4));
    for await (const { texts, lines } of corpusBatches(job, skipped)) {
      const e = job.model.encode(texts, { workers: job.workers, into });
      stream.add(e);
      spill.add(e, texts, lines);
    }
    await printer.print(first, stream.results(), (id) => spill.row(id));
    for await (const queries of rest) {
      stream = newSearch(job, queries);
      for (const chunk of spill.chunks(job.batch)) stream.add(chunk);
      await printer.print(queries, stream.results(), (id) => spill.row(id));
    }
    return skipped;
  } finally {
    spill.close();
  }
}

/** Prints the hits of query batches as they come: text, or one JSON array written piece by piece. */
class HitPrinter {
  private readonly out = new Output(undefined);
  private count = 0;
  constructor(private readonly json: boolean) {}

  async print(
    queries: string[],
    results: SearchHit[][],
    row: (id: number) => { text: string; line: number },
  ): Promise<void> {
    for (let i = 0; i < queries.length; i++) {
      const hits = results[i]!.map((h) => ({ ...row(h.corpusId), score: h.score }));
      if (this.json) {
        this.out.text(this.count === 0 ? '[' : ',');
        this.out.text(
          JSON.stringify({
            query: queries[i],
            hits: hits.map((h) => ({
              corpus_id: h.line,
              line: h.line + 1,
              score: Number(h.score.toFixed(6)),
              text: h.text,
            })),
          }),
        );
      } else {
        const scores = alignRight(hits.map((h) => h.score.toFixed(4)));
        let block = `${this.count === 0 ? '' : '\n'}Query: ${clip(queries[i]!, 100)}\n`;
        hits.forEach((h, r) => {
          block += `  ${String(r + 1).padStart(2)}. ${scores[r]!}  [${h.line + 1}] ${clip(h.text)}\n`;
        });
        this.out.text(block);
      }
      this.count++;
      if (this.out.pending > 1 << 20) await this.out.flush();
    }
  }

  /** Closes the output; the notes go after the text, or to stderr after JSON. */
  async end(notes: string[]): Promise<void> {
    if (this.json) {
      this.out.text(']\n');
      await this.out.close();
      for (const n of notes) console.error(n);
      return;
    }
    for (const n of notes) this.out.text(n + '\n');
    await this.out.close();
  }
}
