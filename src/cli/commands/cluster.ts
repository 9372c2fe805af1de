import { printLine } from '../io/stdout.js';
import { StaticEmbedError } from '../../errors.js';
import { agglomerative } from '../../tasks/agglomerative.js';
import { kmeans, miniBatchKMeans } from '../../tasks/kmeans.js';
import type { Command } from '../command.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';
import { clip, readNonEmptyTexts, skippedNote } from '../io/texts.js';
import { count } from '../io/plural.js';

export const cluster: Command = {
  name: 'cluster',
  summary: 'Cluster texts: k-means with --k, or agglomerative clustering with a similarity --threshold.',
  usage:
    'static-embed cluster [--model M] [--input FILE] (--k K | --threshold S) [--seed N] [--linkage average|complete|single] [--json]',
  details: [
    '--k K: k-means (k-means++ seeding, --seed, default 0; mini-batch above 50,000 texts).',
    '--threshold S: agglomerative clustering merging clusters while their cosine similarity is above S (up to 20,000 texts).',
    'Memory, for n texts of dimension d: the texts and their embeddings (4·n·d bytes); k-means adds the k centroids ' +
      '(8·k·d bytes) and a label per text; agglomerative holds every pairwise distance once, 4·n² bytes (400 MB at ' +
      '10,000 texts, 1.6 GB at the 20,000 limit).',
    '--json: {"labels": [one per line, -1 for a blank line], "clusters": [[0-based line indices]]}, largest cluster first; ' +
      'a label is its cluster\'s index in "clusters" (Cluster n of the text output is label n − 1). Blank lines are skipped (reported on stderr with --json).',
    ...INPUT_HELP,
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    ...INPUT_OPTIONS,
    input: { type: 'string' },
    k: { type: 'string' },
    threshold: { type: 'string' },
    seed: { type: 'string' },
    linkage: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args) {
    const hasK = args.values.k !== undefined,
      threshold = args.number('threshold', { min: -1, max: 1 });
    if (hasK === (threshold !== undefined))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        'give exactly one of --k K (k-means) or --threshold S (agglomerative, cosine similarity).',
      );
    const linkage = args.optionalString('linkage') ?? 'average';
    if (!['average', 'complete', 'single'].includes(linkage))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--linkage must be average, complete or single, got "${linkage}".`,
      );
    const model = await loadModelArg(args);
    const input = args.optionalString('input');
    const r = await readNonEmptyTexts(input, '--input', args.inputPolicy);
    const { texts, lineOf } = r;
    const note = skippedNote(r, input);
    const X = model.encode(texts, { workers: 2 });
    let labels: Int32Array;
    if (hasK) {
      const k = args.int('k', 8);
      if (k > texts.length)
        throw new StaticEmbedError('INVALID_ARGUMENT', `--k ${k} is more than the ${count(texts.length, 'text')}.`);
      const seed = args.int('seed', 0, 0);
      labels = (texts.length > 50_000 ? miniBatchKMeans(X, { k, seed }) : kmeans(X, { k, seed })).labels;
    } else {
      labels = agglomerative(X, { threshold: 1 - threshold!, linkage: linkage as 'average', metric: 'cosine' });
    }
    const groups = new Map<number, number[]>();
    labels.forEach((l, i) => {
      const g = groups.get(l) ?? [];
      g.push(lineOf[i]!);
      groups.set(l, g);
    });
    // largest first; a label is its cluster's index in that order (clusters[labels[line]] holds the line)
    const ranked = [...groups.entries()].sort(([, a], [, b]) => b.length - a.length || a[0]! - b[0]!);
    const clusters = ranked.map(([, members]) => members);
    const rank = new Map(ranked.map(([label], n) => [label, n]));
    if (args.boolean('json')) {
      // one label per line of the file: -1 for skipped blank lines
      const perLine = new Array<number>(texts.length + r.skipped.length).fill(-1);
      labels.forEach((l, i) => {
        perLine[lineOf[i]!] = rank.get(l)!;
      });
      printLine(JSON.stringify({ labels: perLine, clusters }));
      if (note) console.error(note);
      return;
    }
    const textOfLine = new Map(lineOf.map((line, i) => [line, texts[i]!]));
    const out: string[] = [];
    clusters.forEach((c, n) => {
      out.push(`Cluster ${n + 1} (${c.length} text${c.length === 1 ? '' : 's'})`);
      for (const line of c.slice(0, 10)) out.push(`  [${line + 1}] ${clip(textOfLine.get(line)!)}`);
      if (c.length > 10) out.push(`  … and ${c.length - 10} more`);
    });
    if (note) out.push(note);
    printLine(out.join('\n'));
  },
};
