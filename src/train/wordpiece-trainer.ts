/**
 * A WordPiece vocabulary learned from text, written as a standard `tokenizer.json` (BERT uncased normalizer,
 * BERT pre-tokenizer, WordPiece model with "##" continuations). Scheme: every character seen becomes a token
 * (word-initial and "##" continuation forms, so nothing maps to [UNK]); the rest of the budget goes to the
 * word prefixes and "##" suffixes that save the most characters (occurrences × (length − 1)), whole words
 * included. Greedy longest-match WordPiece then segments unseen words into the learned pieces.
 */
import { StaticEmbedError } from '../errors.js';
import { createNormalizer } from '../tokenizer/normalizers.js';
import { createPreTokenizer } from '../tokenizer/pre-tokenizers.js';

export interface WordPieceTrainOptions {
  vocabSize: number;
  /** Words seen fewer times do not propose pieces (their characters still count). Default 2. */
  minFrequency?: number;
  /** Longest piece proposed, in characters. Default 16. */
  maxPieceLength?: number;
}

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Word counts after the uncased multilingual BERT normalizer and pre-tokenizer. */
export function countWords(lines: Iterable<string>): Map<string, number> {
  const norm = createNormalizer({
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase: true,
  });
  const pre = createPreTokenizer({ type: 'BertPreTokenizer' });
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (!line) continue;
    for (const w of pre.split([norm.normalize(line)], { atStart: true })) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

/** The vocabulary, in id order: special tokens, characters, then pieces by saving. */
export function learnVocabulary(counts: Map<string, number>, o: WordPieceTrainOptions): string[] {
  const minFrequency = o.minFrequency ?? 2,
    maxLen = o.maxPieceLength ?? 16;
  const initial = new Map<string, number>(),
    cont = new Map<string, number>(),
    cand = new Map<string, number>();
  for (const [w, c] of counts) {
    const chars = Array.from(w);
    chars.forEach((ch, i) => {
      const m = i === 0 ? initial : cont;
      const k = i === 0 ? ch : `##${ch}`;
      m.set(k, (m.get(k) ?? 0) + c);
    });
    if (c < minFrequency || chars.length < 2) continue;
    for (let n = 2; n <= Math.min(chars.length, maxLen); n++) {
      const p = chars.slice(0, n).join('');
      cand.set(p, (cand.get(p) ?? 0) + c * (n - 1));
    }
    for (let s = 1; s < chars.length - 1; s++) {
      if (chars.length - s > maxLen) continue;
      const p = `##${chars.slice(s).join('')}`;
      cand.set(p, (cand.get(p) ?? 0) + c * (chars.length - s - 1));
    }
  }
  const byCount = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  const vocab: string[] = [...SPECIAL_TOKENS, ...byCount(initial), ...byCount(cont)];
  if (vocab.length > o.vocabSize) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `train-tokenizer: the text has ${vocab.length - SPECIAL_TOKENS.length} distinct characters, ` +
        `more than --vocab-size ${o.vocabSize}; raise --vocab-size to at least ${vocab.length}.`,
    );
  }
  const seen = new Set(vocab);
  for (const p of byCount(cand)) {
    if (vocab.length >= o.vocabSize) break;
    if (!seen.has(p)) {
      seen.add(p);
      vocab.push(p);
    }
  }
  return vocab;
}

/** A `tokenizer.json` (Hugging Face format) for a WordPiece vocabulary. */
export function wordPieceTokenizerJson(vocab: readonly string[]): string {
  const added = SPECIAL_TOKENS.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
  return JSON.stringify(json);
}
