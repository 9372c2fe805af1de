/**
 * Pre-tokenizers: split a normalized piece into words. Every character class comes from unicode.ts (read off
 * the reference library); only `Split` with a user regex runs as a JavaScript regex (see pattern.ts).
 */
import { StaticEmbedError, describe, unsupported } from '../errors.js';
import { checkFields } from './fields.js';
import type { StartTracker } from './normalizers.js';
import type { PreTokenizerJson, SplitBehaviorJson } from './schema.js';
import { Flag, flagsOf } from './unicode.js';
import { charSegments, classRunSegments, invert, regexSegments, spansBy, splitBy, type Segment } from './split.js';
import { compilePattern } from './pattern.js';
import { byteLevelEncode } from './byte-level.js';
import { gpt2Segments } from './gpt2-split.js';
import { mapCodePoints, prependAligned, sliceAligned, type AlignedText } from './aligned.js';

export interface PreTokenizer {
  /** `start.atStart`: pieces[0] begins at offset 0 of the original text (kept up to date by splits). */
  split(pieces: string[], start: StartTracker): string[];
  /** The same words as `split`, each aligned to the original text. */
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[];
}

const flagTest = (flag: Flag) => (cp: number) => (flagsOf(cp) & flag) !== 0;

/** Splits each piece; keeps the start tracker true only if the first output piece starts where pieces[0] did. */
function splitEach(
  pieces: string[],
  start: StartTracker,
  segment: (s: string) => Segment[],
  behavior: SplitBehaviorJson,
  map?: (s: string) => string,
): string[] {
  const out: string[] = [];
  pieces.forEach((p, i) => {
    const before = out.length;
    const first = splitBy(p, segment(p), behavior, out);
    if (i === 0 && first !== 0) start.atStart = false;
    if (i === 0 && out.length === before) start.atStart = false;
    if (map) for (let k = before; k < out.length; k++) out[k] = map(out[k]!);
  });
  return out;
}

/** splitEach on aligned pieces. */
function splitEachAligned(
  pieces: AlignedText[],
  start: StartTracker,
  segment: (s: string) => Segment[],
  behavior: SplitBehaviorJson,
  map?: (x: AlignedText) => AlignedText,
): AlignedText[] {
  const out: AlignedText[] = [];
  pieces.forEach((p, i) => {
    let first = -1;
    for (const [a, b] of spansBy(segment(p.s), behavior)) {
      if (b <= a) continue;
      if (first < 0) first = a;
      const w = sliceAligned(p, a, b);
      out.push(map ? map(w) : w);
    }
    if (i === 0 && first !== 0) start.atStart = false;
  });
  return out;
}

class Bert implements PreTokenizer {
  private readonly ws = flagTest(Flag.Whitespace);
  private readonly punct = flagTest(Flag.Punct);
  split(pieces: string[], start: StartTracker): string[] {
    const words = splitEach(pieces, start, (s) => charSegments(s, this.ws), 'Removed');
    return splitEach(words, start, (s) => charSegments(s, this.punct), 'Isolated');
  }
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[] {
    const words = splitEachAligned(pieces, start, (s) => charSegments(s, this.ws), 'Removed');
    return splitEachAligned(words, start, (s) => charSegments(s, this.punct), 'Isolated');
  }
}

class CharSplit implements PreTokenizer {
  constructor(
    private readonly test: (cp: number) => boolean,
    private readonly behavior: SplitBehaviorJson,
  ) {}
  split(pieces: string[], start: StartTracker): string[] {
    return splitEach(pieces, start, (s) => charSegments(s, this.test), this.behavior);
  }
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[] {
    return splitEachAligned(pieces, start, (s) => charSegments(s, this.test), this.behavior);
  }
}

/** `\w+|[^\w\s]+` with the Rust regex crate's \w and \s: word runs and symbol runs, spaces removed. */
class Whitespace implements PreTokenizer {
  private readonly classOf = (cp: number): number => {
    const fl = flagsOf(cp);
    return fl & Flag.RegexWord ? 1 : fl & Flag.RegexSpace ? 0 : 2;
  };
  split(pieces: string[], start: StartTracker): string[] {
    return splitEach(pieces, start, (s) => classRunSegments(s, this.classOf), 'Removed');
  }
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[] {
    return splitEachAligned(pieces, start, (s) => classRunSegments(s, this.classOf), 'Removed');
  }
}

class RegexSplit implements PreTokenizer {
  constructor(
    private readonly re: RegExp,
    private readonly behavior: SplitBehaviorJson,
    private readonly inverted: boolean,
  ) {}
  private readonly segments = (s: string): Segment[] => {
    const segs = regexSegments(s, this.re);
    return this.inverted ? invert(segs) : segs;
  };
  split(pieces: string[], start: StartTracker): string[] {
    return splitEach(pieces, start, this.segments, this.behavior);
  }
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[] {
    return splitEachAligned(pieces, start, this.segments, this.behavior);
  }
}

class Metaspace implements PreTokenizer {
  private readonly repCp: number;
  constructor(
    private readonly replacement: string,
    private readonly scheme: 'always' | 'first' | 'never',
    private readonly doSplit: boolean,
  ) {
    this.repCp = replacement.codePointAt(0) ?? 0x2581;
  }
  split(pieces: string[], start: StartTracker): string[] {
    const rep = this.replacement;
    const prepared = pieces.map((s, index) => {
      const t = s.replaceAll(' ', rep);
      const prepend = this.scheme === 'always' || (this.scheme === 'first' && index === 0 && start.atStart);
      return prepend && t.length > 0 && !t.startsWith(rep) ? rep + t : t;
    });
    if (!this.doSplit) return prepared.filter((t) => t.length > 0);
    return splitEach(prepared, start, (t) => charSegments(t, (cp) => cp === this.repCp), 'MergedWithNext');
  }
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[] {
    const rep = this.replacement;
    const repCps = [...rep].map((c) => c.codePointAt(0)!);
    const prepared = pieces.map((x, index) => {
      const t = mapCodePoints(x, (cp) => (cp === 0x20 ? repCps : cp));
      const prepend = this.scheme === 'always' || (this.scheme === 'first' && index === 0 && start.atStart);
      return prepend && t.s.length > 0 && !t.s.startsWith(rep) ? prependAligned(t, rep) : t;
    });
    if (!this.doSplit) return prepared.filter((t) => t.s.length > 0);
    return splitEachAligned(prepared, start, (t) => charSegments(t, (cp) => cp === this.repCp), 'MergedWithNext');
  }
}

/** The byte-level characters of one code point's UTF-8 bytes (cached). */
const byteChars = new Map<number, readonly number[]>();
function byteLevelCodePoints(cp: number): readonly number[] {
  let r = byteChars.get(cp);
  if (!r) {
    r = [...byteLevelEncode(String.fromCodePoint(cp))].map((c) => c.codePointAt(0)!);
    if (byteChars.size < 65536) byteChars.set(cp, r);
  }
  return r;
}

class ByteLevel implements PreTokenizer {
  constructor(
    private readonly addPrefixSpace: boolean,
    private readonly useRegex: boolean,
  ) {}
  split(pieces: string[], start: StartTracker): string[] {
    const spaced = this.addPrefixSpace
      ? pieces.map((s) => (s.length === 0 || s.startsWith(' ') ? s : ' ' + s))
      : pieces;
    const segment = this.useRegex ? gpt2Segments : (s: string): Segment[] => [[0, s.length, true]];
    return splitEach(spaced, start, segment, 'Isolated', byteLevelEncode);
  }
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[] {
    const spaced = this.addPrefixSpace
      ? pieces.map((x) => (x.s.length === 0 || x.s.startsWith(' ') ? x : prependAligned(x, ' ')))
      : pieces;
    const segment = this.useRegex ? gpt2Segments : (s: string): Segment[] => [[0, s.length, true]];
    return splitEachAligned(spaced, start, segment, 'Isolated', (x) => mapCodePoints(x, byteLevelCodePoints));
  }
}

class SequencePre implements PreTokenizer {
  constructor(private readonly steps: readonly PreTokenizer[]) {}
  split(pieces: string[], start: StartTracker): string[] {
    let p = pieces;
    for (const s of this.steps) p = s.split(p, start);
    return p;
  }
  splitAligned(pieces: AlignedText[], start: StartTracker): AlignedText[] {
    let p = pieces;
    for (const s of this.steps) p = s.splitAligned(p, start);
    return p;
  }
}

const SUPPORTED = [
  'BertPreTokenizer',
  'Whitespace',
  'WhitespaceSplit',
  'Punctuation',
  'Digits',
  'Metaspace',
  'Split',
  'ByteLevel',
  'CharDelimiterSplit',
  'Sequence',
] as const;

const BEHAVIORS = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'] as const;

export function createPreTokenizer(json: PreTokenizerJson): PreTokenizer {
  if (typeof json !== 'object' || json === null)
    throw new StaticEmbedError(
      'INVALID_TOKENIZER',
      `tokenizer.json "pre_tokenizer" must be an object or null, got ${describe(json)}.`,
    );
  switch (json.type) {
    case 'BertPreTokenizer':
      return new Bert();
    case 'Whitespace':
      return new Whitespace();
    case 'WhitespaceSplit':
      return new CharSplit(flagTest(Flag.Whitespace), 'Removed');
    case 'Punctuation':
      checkFields(json, 'Punctuation pre-tokenizer', { behavior: BEHAVIORS });
      return new CharSplit(flagTest(Flag.Punct), json.behavior ?? 'Isolated');
    case 'Digits':
      checkFields(json, 'Digits pre-tokenizer', { individual_digits: 'boolean' });
      return new CharSplit(flagTest(Flag.Numeric), json.individual_digits ? 'Isolated' : 'Contiguous');
    case 'Metaspace': {
      checkFields(json, 'Metaspace pre-tokenizer', {
        replacement: 'string',
        prepend_scheme: ['always', 'first', 'never'],
        split: 'boolean',
        add_prefix_space: 'boolean',
      });
      const scheme = json.prepend_scheme ?? (json.add_prefix_space === false ? 'never' : 'always');
      return new Metaspace(json.replacement ?? '\u2581', scheme, json.split ?? true);
    }
    case 'Split':
      checkFields(json, 'Split pre-tokenizer', { behavior: BEHAVIORS, invert: 'boolean' }, { required: ['behavior'] });
      return new RegexSplit(compilePattern(json.pattern, 'Split pre-tokenizer'), json.behavior, json.invert ?? false);
    case 'ByteLevel':
      checkFields(json, 'ByteLevel pre-tokenizer', { add_prefix_space: 'boolean', use_regex: 'boolean' });
      return new ByteLevel(json.add_prefix_space ?? true, json.use_regex ?? true);
    case 'CharDelimiterSplit': {
      checkFields(json, 'CharDelimiterSplit pre-tokenizer', { delimiter: 'string' }, { required: ['delimiter'] });
      const d = json.delimiter.codePointAt(0);
      return new CharSplit((cp) => cp === d, 'Removed');
    }
    case 'Sequence': {
      if (!Array.isArray(json.pretokenizers))
        throw new StaticEmbedError(
          'INVALID_TOKENIZER',
          `Sequence pre-tokenizer needs a "pretokenizers" array, got ${describe(json.pretokenizers)}.`,
        );
      return new SequencePre(json.pretokenizers.map(createPreTokenizer));
    }
    default:
      throw unsupported('pre-tokenizer', (json as { type?: unknown }).type, SUPPORTED);
  }
}

export function isBertPreTokenizer(p: PreTokenizer): boolean {
  return p instanceof Bert;
}
