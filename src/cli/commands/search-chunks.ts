/** search --chunk: a corpus of documents cut into chunks; each hit names its document, its offsets and its chunk. */
import { StaticEmbedError } from '../../errors.js';
import { StreamingSearch } from '../../tasks/streaming-search.js';
import type { Args } from '../command.js';
import { chunkedCorpus, type ChunkRow } from '../io/chunked.js';
import { alignRight } from '../io/display-width.js';
import { Output } from '../io/output.js';
import { clip, readNonEmptyTexts, skippedNote } from '../io/texts.js';
import { loadModelArg } from '../model-arg.js';
import { chunkOptionsOf, methodOf } from './chunk.js';

export async function searchChunks(args: Args): Promise<void> {
  const corpusPath = args.optionalString('corpus');
  if (!corpusPath) throw new StaticEmbedError('INVALID_ARGUMENT', '--corpus FILE|DIR is required (the documents).');
  const inline = (args.values.query as string[] | undefined) ?? [];
  const qfile = args.optionalString('queries');
  if (inline.length === 0 && !qfile)
    throw new StaticEmbedError('INVALID_ARGUMENT', 'give --query TEXT (repeatable) or --queries FILE.');
  const options = chunkOptionsOf(args, methodOf(args.optionalString('chunk'), '--chunk'));
  const topK = args.int('top-k', 10);
  const model = await loadModelArg(args);
  const q = qfile ? await readNonEmptyTexts(qfile, '--queries', args.inputPolicy) : undefined;
  const queries = [...inline, ...(q?.texts ?? [])];
  const fn = model.similarityFnName === 'dot' ? 'dot' : 'cosine';
  const stream = new StreamingSearch(model.encode(queries), { topK, scoreFunction: fn });
  // the chunks some query keeps, taken from each batch as it passes
  const kept = new Map<number, ChunkRow>();
  for (const rows of chunkedCorpus(model, corpusPath, args.inputPolicy, options, 'text', '--corpus')) {
    if (rows.length === 0) continue;
    const first = stream.seen;
    stream.add(model.encode(rows.map((r) => r.text)));
    const ids = stream.keptIds();
    for (const id of ids) if (id >= first) kept.set(id, rows[id - first]!);
    for (const id of kept.keys()) if (!ids.has(id)) kept.delete(id);
  }
  const results = stream.results();
  const note = q ? skippedNote(q, qfile) : '';
  const out = new Output(undefined);
  if (args.boolean('json')) {
    const hit = (id: number, score: number) => {
      const r = kept.get(id)!;
      return { doc: r.doc, index: r.index, start: r.start, end: r.end, score: Number(score.toFixed(6)), text: r.text };
    };
    out.text(
      JSON.stringify(queries.map((q, i) => ({ query: q, hits: results[i]!.map((h) => hit(h.corpusId, h.score)) }))) +
        '\n',
    );
    await out.close();
    if (note) console.error(note);
    return;
  }
  const lines: string[] = [];
  queries.forEach((q, i) => {
    lines.push(`Query: ${clip(q, 100)}`);
    const scores = alignRight(results[i]!.map((h) => h.score.toFixed(4)));
    results[i]!.forEach((h, r) => {
      const c = kept.get(h.corpusId)!;
      lines.push(`  ${String(r + 1).padStart(2)}. ${scores[r]!}  ${c.doc} [${c.start}, ${c.end}) ${clip(c.text)}`);
    });
    lines.push('');
  });
  out.text([lines.join('\n').trimEnd(), ...(note ? [note] : [])].join('\n') + '\n');
  await out.close();
}
