import { StaticEmbedError } from '../../errors.js';
import { semanticSearch } from '../../tasks/search.js';
import type { Command } from '../command.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';
import { clip, readNonEmptyTexts, skippedNote } from '../io/texts.js';

export const search: Command = {
  name: 'search',
  summary: 'Semantic search: the corpus texts most similar to each query.',
  usage: 'static-embed search --model M --corpus FILE (--query TEXT | --queries FILE) [--top-k K] [--json]',
  details: [
    'FILE: one text per line (or .jsonl with {"text": ...}); --query may be repeated.',
    '--json: [{"query", "hits": [{"corpus_id" (0-based line index), "score", "text"}]}]. Blank lines are skipped (reported on stderr with --json).',
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    corpus: { type: 'string' },
    query: { type: 'string', multiple: true },
    queries: { type: 'string' },
    'top-k': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args) {
    const corpusPath = args.optionalString('corpus');
    if (!corpusPath) throw new StaticEmbedError('INVALID_ARGUMENT', '--corpus FILE is required (one text per line).');
    const inline = (args.values.query as string[] | undefined) ?? [];
    const qfile = args.optionalString('queries');
    if (inline.length === 0 && !qfile)
      throw new StaticEmbedError('INVALID_ARGUMENT', 'give --query TEXT (repeatable) or --queries FILE.');
    const topK = args.int('top-k', 10);
    const model = await loadModelArg(args);
    const c = await readNonEmptyTexts(corpusPath, 'Corpus');
    const corpus = c.texts;
    const q = qfile ? await readNonEmptyTexts(qfile, 'Queries file') : undefined;
    const queries = [...inline, ...(q?.texts ?? [])];
    const notes = [skippedNote(c, corpusPath), q ? skippedNote(q, qfile) : ''].filter((n) => n !== '');
    const fn = model.similarityFnName === 'dot' ? 'dot' : 'cosine';
    const results = semanticSearch(model.encode(queries), model.encode(corpus, { workers: 2 }), {
      topK,
      scoreFunction: fn,
    });
    if (args.boolean('json')) {
      console.log(
        JSON.stringify(
          queries.map((q, i) => ({
            query: q,
            hits: results[i]!.map((h) => ({
              corpus_id: c.lineOf[h.corpusId],
              score: Number(h.score.toFixed(6)),
              text: corpus[h.corpusId],
            })),
          })),
        ),
      );
      for (const n of notes) console.error(n);
      return;
    }
    const lines: string[] = [];
    queries.forEach((q, i) => {
      lines.push(`Query: ${clip(q, 100)}`);
      results[i]!.forEach((h, r) =>
        lines.push(
          `  ${String(r + 1).padStart(2)}. ${h.score.toFixed(4)}  [${c.lineOf[h.corpusId]! + 1}] ${clip(corpus[h.corpusId]!)}`,
        ),
      );
      lines.push('');
    });
    console.log([lines.join('\n').trimEnd(), ...notes].join('\n'));
  },
};
