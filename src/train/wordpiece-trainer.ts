/**
 * A WordPiece vocabulary learned from text, written as a standard `tokenizer.json`.
 * See ARCHITECTURE.md, "Training math".
 */
import { StaticEmbedError } from '../errors.js';
import { createNormalizer } from '../tokenizer/normalizers.js';
import { createPreTokenizer } from '../tokenizer/pre-tokenizers.js';
import type { NormalizerJson } from '../tokenizer/schema.js';
import { writingSystem } from './writing-system.js';

export interface WordPieceTrainOptions {
  vocabSize: number;
  /** Words seen fewer times do not propose pieces (their characters still count). Default 2. */
  minFrequency?: number;
  /** Longest piece proposed, in characters. Default 16. */
  maxPieceLength?: number;
  /**
   * Also propose pieces from inside words longer than `maxPieceLength` (scripts written without spaces: Thai, Lao,
   * Khmer, Myanmar), every substring of 2…maxPieceLength characters seen at least `minFrequency` times. Default false.
   */
  longWordPieces?: boolean;
  /**
   * Every writing system with text in the input gets at least this many pieces beyond its characters (or all its
   * candidates), taken from the lowest-ranked pieces of the others. Default 0 (the global ranking alone).
   */
  minScriptPieces?: number;
}

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const bert = (stripAccents: null | false) =>
  ({
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: stripAccents,
    lowercase: true,
  }) as const;

/**
 * The normalizers `train-tokenizer` can write: bert-uncased (multilingual BERT's: lower case, nonspacing marks
 * stripped), bert-lowercase (lower case only) and nfkc-lowercase (NFKC, then lower case).
 */
export const NORMALIZERS = {
  'bert-uncased': bert(null),
  'bert-lowercase': bert(false),
  'nfkc-lowercase': { type: 'Sequence', normalizers: [{ type: 'NFKC' }, bert(false)] },
} as const satisfies Record<string, NormalizerJson>;
export type NormalizerName = keyof typeof NORMALIZERS;

/** Word counts after a normalizer (default: the uncased multilingual BERT one) and the BERT pre-tokenizer. */
export function countWords(lines: Iterable<string>, normalizer: NormalizerName = 'bert-uncased'): Map<string, number> {
  const norm = createNormalizer(NORMALIZERS[normalizer]);
  const pre = createPreTokenizer({ type: 'BertPreTokenizer' });
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (!line) continue;
    for (const w of pre.split([norm.normalize(line)], { atStart: true })) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

interface Candidates {
  initial: Map<string, number>;
  cont: Map<string, number>;
  cand: Map<string, number>;
}

/** Character counts (word-initial and "##" forms) and piece candidates with their savings, from word counts. */
function pieceCandidates(counts: Map<string, number>, o: WordPieceTrainOptions): Candidates {
  const minFrequency = o.minFrequency ?? 2,
    maxLen = o.maxPieceLength ?? 16;
  const initial = new Map<string, number>(),
    cont = new Map<string, number>(),
    cand = new Map<string, number>();
  const inner = new Map<string, [occurrences: number, saving: number]>();
  for (const [w, c] of counts) {
    const chars = Array.from(w);
    chars.forEach((ch, i) => {
      const m = i === 0 ? initial : cont;
      const k = i === 0 ? ch : `##${ch}`;
      m.set(k, (m.get(k) ?? 0) + c);
    });
    if (o.longWordPieces && chars.length > maxLen) {
      for (let s = 0; s < chars.length - 1; s++)
        for (let n = 2; n <= maxLen && s + n <= chars.length; n++) {
          const p = (s === 0 ? '' : '##') + chars.slice(s, s + n).join('');
          const e = inner.get(p) ?? [0, 0];
          e[0] += c;
          e[1] += (c * (n - 1)) / n;
          inner.set(p, e);
        }
    }
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
  for (const [p, [occurrences, saving]] of inner)
    if (occurrences >= minFrequency) cand.set(p, (cand.get(p) ?? 0) + saving);
  return { initial, cont, cand };
}

const byCount = (m: Map<string, number>) =>
  [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
const sumInto = (into: Map<string, number>, from: Map<string, number>) => {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
};

/**
 * The vocabulary, in id order: special tokens, characters, then pieces by saving; several inputs (e.g. one per
 * language) take turns, each adding its best piece not yet in. See ARCHITECTURE.md, "Training math".
 */
export function learnVocabulary(
  counts: Map<string, number> | readonly Map<string, number>[],
  options: WordPieceTrainOptions,
): string[] {
  const parts = (counts instanceof Map ? [counts] : counts).map((c) => pieceCandidates(c, options));
  const initial = new Map<string, number>(),
    cont = new Map<string, number>();
  for (const p of parts) {
    sumInto(initial, p.initial);
    sumInto(cont, p.cont);
  }
  const vocab: string[] = [...SPECIAL_TOKENS, ...byCount(initial), ...byCount(cont)];
  if (vocab.length > options.vocabSize) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `train-tokenizer: the text has ${vocab.length - SPECIAL_TOKENS.length} distinct characters, ` +
        `more than --vocab-size ${options.vocabSize}; raise --vocab-size to at least ${vocab.length}.`,
    );
  }
  const seen = new Set(vocab);
  const ranked = parts.map((p) => byCount(p.cand));
  if (options.minScriptPieces && ranked.length === 1)
    takeWithScriptFloor(ranked[0]!, options.vocabSize, options.minScriptPieces, vocab, seen);
  else takeInTurns(ranked, options.vocabSize, vocab, seen);
  return vocab;
}

/** The inputs take turns, each adding its best piece not yet in `vocab`, until `vocabSize`. */
function takeInTurns(ranked: string[][], vocabSize: number, vocab: string[], seen: Set<string>): void {
  const next = ranked.map(() => 0);
  for (let open = true; open && vocab.length < vocabSize;) {
    open = false;
    for (let i = 0; i < ranked.length && vocab.length < vocabSize; i++) {
      const r = ranked[i]!;
      while (next[i]! < r.length && seen.has(r[next[i]!]!)) next[i]!++;
      if (next[i]! >= r.length) continue;
      const p = r[next[i]!++]!;
      seen.add(p);
      vocab.push(p);
      open = true;
    }
  }
}

/**
 * The ranked pieces in order, except that each writing system's first `floor` pieces are reserved, so every system ends
 * with at least min(floor, its candidates) pieces. See ARCHITECTURE.md, "Training math".
 */
function takeWithScriptFloor(
  ranked: string[],
  vocabSize: number,
  floor: number,
  vocab: string[],
  seen: Set<string>,
): void {
  const fresh = ranked.filter((p) => !seen.has(p));
  const open = new Map<string, number>();
  for (const p of fresh) {
    const s = writingSystem(p);
    if (s !== '') open.set(s, Math.min(floor, (open.get(s) ?? 0) + 1));
  }
  let reserved = 0;
  for (const n of open.values()) reserved += n;
  const budget = vocabSize - vocab.length;
  if (reserved > budget) {
    const counts = [...open.values()];
    let fits = 0;
    while (counts.reduce((a, n) => a + Math.min(n, fits + 1), 0) <= budget) fits++;
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--min-script-pieces ${floor} needs ${reserved} pieces for the text's ${open.size} writing ` +
        `systems, but --vocab-size ${vocabSize} leaves ${budget} after the characters; use --min-script-pieces ` +
        `${fits} or less, or a larger --vocab-size.`,
    );
  }
  const take = (p: string) => {
    seen.add(p);
    vocab.push(p);
  };
  // once a free piece no longer fits, only reserved ones are taken, so every reservation is met and the budget ends
  // exactly full
  for (const p of fresh) {
    if (vocab.length >= vocabSize) return;
    const s = writingSystem(p),
      need = open.get(s) ?? 0;
    if (need > 0) {
      open.set(s, need - 1);
      reserved--;
      take(p);
    } else if (vocabSize - vocab.length > reserved) take(p);
  }
}

/** A `tokenizer.json` (Hugging Face format) for a WordPiece vocabulary. */
export function wordPieceTokenizerJson(vocab: readonly string[], normalizer: NormalizerName = 'bert-uncased'): string {
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
    normalizer: NORMALIZERS[normalizer],
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
