import { printLine } from '../io/stdout.js';
import { writeFileAtomic } from '../../runtime/node/atomic-write.js';
import { checkFileOutput } from '../io/clobber.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { StaticEmbedError } from '../../errors.js';
import {
  NORMALIZERS,
  SPECIAL_TOKENS,
  countWords,
  learnVocabulary,
  wordPieceTokenizerJson,
  type NormalizerName,
} from '../../train/wordpiece-trainer.js';
import { splitFiles, type Command } from '../command.js';
import { noTextsError, readTextFile } from '../io/input.js';
import { count } from '../io/plural.js';

export const trainTokenizer: Command = {
  name: 'train-tokenizer',
  summary:
    'Learn a WordPiece vocabulary (BERT pre-tokenizer, a BERT-family normalizer) from text; writes tokenizer.json.',
  usage:
    'static-embed train-tokenizer --input FILE… --out tokenizer.json [--overwrite] [--vocab-size N (30000)] [--min-frequency F (2)] ' +
    '[--normalizer bert-uncased|bert-lowercase|nfkc-lowercase] [--long-word-pieces] [--balance-inputs] [--min-script-pieces K (0)]',
  details: [
    'FILE: plain text, one text per line; several files may follow --input (or be joined with commas).',
    '--normalizer: bert-uncased (default; multilingual BERT: lower case, accents and all nonspacing marks stripped), ' +
      'bert-lowercase (lower case, marks kept), nfkc-lowercase (NFKC, then lower case, marks kept).',
    '--long-word-pieces: also learn pieces from inside words longer than 16 characters (scripts without spaces ' +
      'between words: Thai, Lao, Khmer, Myanmar), which otherwise split into single characters.',
    '--balance-inputs: every input file (e.g. one per language) gets an equal share of the vocabulary: the files ' +
      'take turns adding their most useful piece. Without it the pieces are ranked over all text at once.',
    '--min-script-pieces K: every writing system in the text (Latin, Cyrillic, Hebrew, Armenian, Thai, …) gets at ' +
      'least K pieces beyond its characters (or all it has), in place of the lowest-ranked pieces of the others, so ' +
      'a script of a few languages is not left with single letters. Not with --balance-inputs.',
    '--out: written atomically; an existing file is replaced only with --overwrite (never one of the inputs).',
    ...INPUT_HELP,
  ],
  options: {
    ...INPUT_OPTIONS,
    overwrite: { type: 'boolean' },
    input: { type: 'string', multiple: true },
    'vocab-size': { type: 'string' },
    out: { type: 'string' },
    'min-frequency': { type: 'string' },
    normalizer: { type: 'string' },
    'long-word-pieces': { type: 'boolean' },
    'balance-inputs': { type: 'boolean' },
    'min-script-pieces': { type: 'string' },
  },
  operands: 'FILE',
  async run(args) {
    const raw = args.values.input;
    const files = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
      .flatMap((f) => splitFiles('input', String(f)))
      .concat(args.positionals);
    const out = args.optionalString('out');
    if (files.length === 0 || !out)
      throw new StaticEmbedError('INVALID_ARGUMENT', '--input FILE… and --out tokenizer.json are required.');
    const vocabSize = args.int('vocab-size', 30000, SPECIAL_TOKENS.length + 1);
    const normalizer = (args.optionalString('normalizer') ?? 'bert-uncased') as NormalizerName;
    if (!(normalizer in NORMALIZERS))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--normalizer must be one of ${Object.keys(NORMALIZERS).join(', ')}, got "${normalizer}".`,
      );
    const minScriptPieces = args.int('min-script-pieces', 0, 0);
    if (minScriptPieces > 0 && args.values['balance-inputs'] === true)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        '--min-script-pieces ranks the pieces of all inputs together; it cannot be combined with --balance-inputs.',
      );
    const texts = files.map((f) => readTextFile(f, args.inputPolicy).split('\n'));
    const lineCount = texts.reduce((n, t) => n + t.filter((l) => l.trim() !== '').length, 0);
    if (lineCount === 0)
      throw noTextsError(
        `--input ${files.join(', ')}`,
        texts.reduce((n, t) => n + t.length - (t[t.length - 1] === '' ? 1 : 0), 0),
      );
    checkFileOutput(out, {
      option: '--out',
      what: 'the tokenizer (a .json file)',
      example: 'tokenizer.json',
      command: 'train-tokenizer',
      overwrite: args.boolean('overwrite'),
      inputs: files.map((path) => ({ option: '--input', path })),
    });
    const counts =
      args.values['balance-inputs'] === true
        ? texts.map((t) => countWords(t, normalizer))
        : countWords(texts.flat(), normalizer);
    const vocab = learnVocabulary(counts, {
      vocabSize,
      minFrequency: args.int('min-frequency', 2, 1),
      longWordPieces: args.values['long-word-pieces'] === true,
      ...(minScriptPieces > 0 ? { minScriptPieces } : {}),
    });
    writeFileAtomic(out, wordPieceTokenizerJson(vocab, normalizer));
    printLine(
      `Learned ${count(vocab.length, 'token')} from ${count(lineCount, 'line')}. Saved ${out}.` +
        (vocab.length < vocabSize
          ? ` (The text yields no more pieces than that: --vocab-size ${vocabSize} was not reached; ` +
            'give more text or a lower --min-frequency.)'
          : ''),
    );
  },
};
