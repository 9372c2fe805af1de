import { StaticEmbedError } from '../../errors.js';
import { chunkTexts, type ChunkMethod, type ChunkOptions } from '../../chunk/chunk.js';
import type { Command, Args } from '../command.js';
import { readDocuments } from '../io/documents.js';
import { Output } from '../io/output.js';
import { checkFileOutput, type FileOutput } from '../io/clobber.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg, modelArg } from '../model-arg.js';

/** The --chunk-style options shared by chunk, search and index build (`prefix`: "" or "chunk-"). */
export function chunkOptionSpecs(prefix: string): Command['options'] {
  const s = { type: 'string' } as const;
  return {
    [`${prefix}max-tokens`]: s,
    [`${prefix}overlap`]: s,
    [`${prefix}threshold`]: s,
    [`${prefix}percentile`]: s,
    [`${prefix}window`]: s,
    [`${prefix}locale`]: s,
  };
}

/** ChunkOptions from the command line (method given apart). */
export function chunkOptionsOf(args: Args, method: ChunkMethod, prefix = ''): ChunkOptions {
  const o: ChunkOptions = { method, maxTokens: args.int(`${prefix}max-tokens`, 256) };
  if (args.values[`${prefix}overlap`] !== undefined) o.overlap = args.int(`${prefix}overlap`, 0, 0);
  const t = args.number(`${prefix}threshold`, { min: -1, max: 1 });
  if (t !== undefined) o.threshold = t;
  const p = args.number(`${prefix}percentile`, { min: 0, max: 100 });
  if (p !== undefined) o.percentile = p;
  if (args.values[`${prefix}window`] !== undefined) o.window = args.int(`${prefix}window`, 3);
  const locale = args.optionalString(`${prefix}locale`);
  if (locale !== undefined) o.locale = locale;
  return o;
}

export function methodOf(value: string | undefined, option: string): ChunkMethod {
  const m = value ?? 'semantic';
  if (m !== 'sentence' && m !== 'tokens' && m !== 'semantic')
    throw new StaticEmbedError('INVALID_ARGUMENT', `${option} must be sentence, tokens or semantic, got "${m}".`);
  return m;
}

/** The chunking options shared by chunk, search --chunk and index build --chunk (the method is named apart). */
export const CHUNK_HELP = [
  '--max-tokens N: most model tokens per chunk (default 256); --overlap N: tokens repeated (tokens, sentence).',
  '--threshold T: break where the similarity of the sentences before and after is below T; or --percentile P:',
  '  at the boundaries more dissimilar than the P-th percentile of the document (default 50); --window N: 3.',
  '--locale L: sentence segmentation locale (Intl.Segmenter; default: the runtime).',
];

/** Code-point offsets of a chunk (for consumers that index strings by code points). */
function codePointOffset(text: string, i: number, cache: { at: number; cp: number }): number {
  if (i < cache.at) cache.at = cache.cp = 0;
  for (let k = cache.at; k < i; k++) {
    const c = text.charCodeAt(k);
    if (!((c & 0xfc00) === 0xdc00 && k > 0 && (text.charCodeAt(k - 1) & 0xfc00) === 0xd800)) cache.cp++;
  }
  cache.at = i;
  return cache.cp;
}

export const chunk: Command = {
  name: 'chunk',
  summary:
    'Chunks of documents (sentences, token windows or meaning), as JSONL {doc, index, text, start, end, tokens}.',
  usage:
    'static-embed chunk --input FILE|DIR [--output FILE] [--max-tokens N] [--overlap N] [--method sentence|tokens|semantic] ' +
    '[--threshold T | --percentile P]',
  details: [
    'FILE: a text file is one document; .jsonl: one {"text": ..., "id": ...} document per line (--field NAME);',
    '  DIR: every file under it; "-": stdin as one document.',
    'start/end: where the chunk is in its document, in UTF-16 code units (JavaScript string indices), so that',
    '  text === document.slice(start, end); --offsets code-points gives them in code points (Python indices).',
    '--method: semantic (default: breaks where the meaning changes), sentence (whole sentences), tokens (windows).',
    ...CHUNK_HELP,
    '--output FILE is written under a temporary name and renamed when complete; an existing FILE is replaced only ' +
      'with --overwrite, and never when it is the input or a file of the model.',
    ...INPUT_HELP,
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    ...INPUT_OPTIONS,
    overwrite: { type: 'boolean' },
    input: { type: 'string', required: true },
    output: { type: 'string' },
    method: { type: 'string' },
    field: { type: 'string' },
    offsets: { type: 'string' },
    ...chunkOptionSpecs(''),
  },
  async run(args) {
    const input = args.string('input');
    const outPath = args.optionalString('output');
    const spec: FileOutput = {
      option: '--output',
      what: 'the chunks (a .jsonl file)',
      example: 'chunks.jsonl',
      command: 'chunk',
      overwrite: args.boolean('overwrite'),
      inputs: [
        { option: '--input', path: input },
        { option: '--model', path: modelArg(args) },
      ],
    };
    if (outPath !== undefined) checkFileOutput(outPath, spec); // before the model loads
    const options = chunkOptionsOf(args, methodOf(args.optionalString('method'), '--method'));
    const units = args.optionalString('offsets') ?? 'utf16';
    if (units !== 'utf16' && units !== 'code-points')
      throw new StaticEmbedError('INVALID_ARGUMENT', `--offsets must be utf16 or code-points, got "${units}".`);
    const docs = readDocuments(input, args.inputPolicy, args.optionalString('field') ?? 'text');
    const model = await loadModelArg(args);
    const out = new Output(outPath, { ...spec, overwrite: true }); // checked above: replaced when complete
    for (let i = 0; i < docs.length;) {
      let j = i,
        chars = 0;
      while (j < docs.length && (j === i || chars < 1 << 20)) chars += docs[j++]!.text.length;
      const batch = docs.slice(i, j);
      chunkTexts(
        model,
        batch.map((d) => d.text),
        options,
      ).forEach((chunks, k) => {
        const d = batch[k]!;
        const cache = { at: 0, cp: 0 };
        for (const c of chunks) {
          const [start, end] =
            units === 'utf16'
              ? [c.start, c.end]
              : [codePointOffset(d.text, c.start, cache), codePointOffset(d.text, c.end, cache)];
          out.text(JSON.stringify({ doc: d.name, index: c.index, text: c.text, start, end, tokens: c.tokens }) + '\n');
        }
      });
      await out.flush();
      i = j;
    }
    await out.close();
  },
};
