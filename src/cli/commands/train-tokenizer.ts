import { readFileSync, writeFileSync } from 'node:fs';
import { StaticEmbedError } from '../../errors.js';
import { SPECIAL_TOKENS, countWords, learnVocabulary, wordPieceTokenizerJson } from '../../train/wordpiece-trainer.js';
import type { Command } from '../command.js';

export const trainTokenizer: Command = {
  name: 'train-tokenizer',
  summary: 'Learn a WordPiece vocabulary (uncased multilingual BERT rules) from text; writes tokenizer.json.',
  usage: 'static-embed train-tokenizer --input FILE… --vocab-size N --out tokenizer.json [--min-frequency F]',
  details: ['FILE: plain text, one text per line; several files may follow --input (or be joined with commas).'],
  options: {
    input: { type: 'string', multiple: true },
    'vocab-size': { type: 'string' },
    out: { type: 'string' },
    'min-frequency': { type: 'string' },
  },
  async run(args) {
    const raw = args.values.input;
    const files = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
      .flatMap((f) => String(f).split(','))
      .concat(args.positionals);
    const out = args.optionalString('out');
    if (files.length === 0 || !out)
      throw new StaticEmbedError('INVALID_ARGUMENT', '--input FILE… and --out tokenizer.json are required.');
    const vocabSize = args.int('vocab-size', 30000, SPECIAL_TOKENS.length + 1);
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
    const vocab = learnVocabulary(countWords(lines), { vocabSize, minFrequency: args.int('min-frequency', 2, 1) });
    writeFileSync(out, wordPieceTokenizerJson(vocab));
    console.log(
      `Learned ${vocab.length.toLocaleString('en-US')} tokens from ${lines.length.toLocaleString('en-US')} lines. Saved ${out}.`,
    );
  },
};
