/** Normalizers: string → string, with the Rust `tokenizers` semantics. See ARCHITECTURE.md, "Tokenizer fidelity". */
import { StaticEmbedError, describe, unsupported } from '../errors.js';
import { checkFields } from './fields.js';
import type { NormalizerJson, PatternJson } from './schema.js';
import { Flag, flagsOf, codePoints, fromCodePoints, lowercaseOf, nfc, nfd, nfkc, nfkd } from './unicode.js';
import { compilePattern } from './pattern.js';
import {
  ChangeList,
  applyChanges,
  codePointsOf,
  mapCodePoints,
  prependAligned,
  sliceAligned,
  type AlignedText,
} from './aligned.js';

/** Whether a piece still starts at original offset 0. */
export interface StartTracker {
  atStart: boolean;
}

export interface Normalizer {
  normalize(text: string, start?: StartTracker): string;
  /** The same text as `normalize`, each unit aligned to the original as the reference aligns it. */
  normalizeAligned(x: AlignedText, start?: StartTracker): AlignedText;
}

/** A normal form (nfd, nfkc, …) applied with the reference's alignment changes. */
function normalFormAligned(x: AlignedText, form: (cps: readonly number[], changes: number[]) => number[]): AlignedText {
  const changes: number[] = [];
  const out = form(codePointsOf(x), changes);
  const list = new ChangeList();
  for (let i = 0; i < out.length; i++) list.push(out[i]!, changes[i]!);
  return applyChanges(x, list);
}

/** For filters: the first character was removed, so the output starts later in the original. */
function dropStart(start: StartTracker | undefined, input: readonly number[], keepFirst: boolean): void {
  if (start && input.length > 0 && !keepFirst) start.atStart = false;
}

export interface BertNormalizerOptions {
  cleanText: boolean;
  handleChineseChars: boolean;
  stripAccents: boolean;
  lowercase: boolean;
}

/** BertNormalizer over code points: clean_text → handle_chinese_chars → strip_accents (NFD, drop Mn) → lowercase. */
export function bertNormalizeCodePoints(input: readonly number[], o: BertNormalizerOptions): number[] {
  let cps: number[] = [];
  for (const cp of input) {
    const fl = flagsOf(cp);
    if (o.cleanText) {
      if (fl & Flag.BertRemoved) continue;
      if (fl & Flag.BertSpace) {
        cps.push(0x20);
        continue;
      }
    }
    if (o.handleChineseChars && fl & Flag.Chinese) cps.push(0x20, cp, 0x20);
    else cps.push(cp);
  }
  if (o.stripAccents) cps = nfd(cps).filter((cp) => (flagsOf(cp) & Flag.Nonspacing) === 0);
  if (o.lowercase) cps = lowercaseCodePoints(cps);
  return cps;
}

function lowercaseCodePoints(cps: readonly number[]): number[] {
  const out: number[] = [];
  for (const cp of cps) {
    const l = lowercaseOf(cp);
    if (l) out.push(...l);
    else out.push(cp);
  }
  return out;
}

class BertNormalizer implements Normalizer {
  constructor(readonly options: BertNormalizerOptions) {}
  normalize(text: string, start?: StartTracker): string {
    const cps = codePoints(text);
    if (start && cps.length > 0) dropStart(start, cps, bertNormalizeCodePoints([cps[0]!], this.options).length > 0);
    return fromCodePoints(bertNormalizeCodePoints(cps, this.options));
  }
  /** The reference's steps one by one: clean_text, handle_chinese_chars, strip_accents (NFD, drop Mn), lowercase. */
  normalizeAligned(x: AlignedText, start?: StartTracker): AlignedText {
    const o = this.options;
    const first = codePoints(x.s.slice(0, 2))[0];
    if (start && first !== undefined) dropStart(start, [first], bertNormalizeCodePoints([first], o).length > 0);
    let y = x;
    if (o.cleanText)
      y = mapCodePoints(y, (cp) => (flagsOf(cp) & Flag.BertRemoved ? -1 : flagsOf(cp) & Flag.BertSpace ? 0x20 : cp));
    if (o.handleChineseChars) y = mapCodePoints(y, (cp) => (flagsOf(cp) & Flag.Chinese ? [0x20, cp, 0x20] : cp));
    if (o.stripAccents) {
      y = normalFormAligned(y, nfd);
      y = mapCodePoints(y, (cp) => (flagsOf(cp) & Flag.Nonspacing ? -1 : cp));
    }
    if (o.lowercase) y = mapCodePoints(y, (cp) => lowercaseOf(cp) ?? cp);
    return y;
  }
}

/** A code-point transformation; `filter` says which input code points it removes (for the start tracker). */
class CodePointNormalizer implements Normalizer {
  constructor(
    private readonly fn: (cps: number[]) => number[],
    private readonly aligned: (x: AlignedText) => AlignedText,
    private readonly removes?: (cp: number) => boolean,
  ) {}
  normalize(text: string, start?: StartTracker): string {
    const cps = codePoints(text);
    if (this.removes && cps.length > 0) dropStart(start, cps, !this.removes(cps[0]!));
    return fromCodePoints(this.fn(cps));
  }
  normalizeAligned(x: AlignedText, start?: StartTracker): AlignedText {
    const first = codePoints(x.s.slice(0, 2))[0];
    if (this.removes && first !== undefined) dropStart(start, [first], !this.removes(first));
    return this.aligned(x);
  }
}

class Strip implements Normalizer {
  constructor(
    private readonly left: boolean,
    private readonly right: boolean,
  ) {}
  normalize(text: string, start?: StartTracker): string {
    const cps = codePoints(text);
    let a = 0,
      b = cps.length;
    if (this.left) while (a < b && flagsOf(cps[a]!) & Flag.Whitespace) a++;
    if (this.right) while (b > a && flagsOf(cps[b - 1]!) & Flag.Whitespace) b--;
    dropStart(start, cps, a === 0);
    return fromCodePoints(cps.slice(a, b));
  }
  normalizeAligned(x: AlignedText, start?: StartTracker): AlignedText {
    const cps = codePoints(x.s);
    let a = 0,
      b = cps.length;
    if (this.left) while (a < b && flagsOf(cps[a]!) & Flag.Whitespace) a++;
    if (this.right) while (b > a && flagsOf(cps[b - 1]!) & Flag.Whitespace) b--;
    dropStart(start, cps, a === 0);
    let ua = 0,
      ub = 0;
    for (let i = 0; i < b; i++) {
      const w = cps[i]! > 0xffff ? 2 : 1;
      if (i < a) ua += w;
      ub += w;
    }
    return sliceAligned(x, ua, ub);
  }
}

class Replace implements Normalizer {
  private readonly re: RegExp;
  constructor(
    pattern: PatternJson,
    private readonly content: string,
  ) {
    this.re = compilePattern(pattern, 'Replace normalizer');
  }
  normalize(text: string, start?: StartTracker): string {
    if (start && this.content === '') {
      this.re.lastIndex = 0;
      const m = this.re.exec(text);
      if (m && m.index === 0 && m[0].length > 0) start.atStart = false;
    }
    return text.replace(this.re, () => this.content);
  }
  /** Each match removed and the content inserted after it (aligned to the match's last character). */
  normalizeAligned(x: AlignedText, start?: StartTracker): AlignedText {
    if (start && this.content === '') {
      this.re.lastIndex = 0;
      const m = this.re.exec(x.s);
      if (m && m.index === 0 && m[0].length > 0) start.atStart = false;
    }
    const list = new ChangeList();
    const content = codePoints(this.content);
    const s = x.s;
    const copy = (a: number, b: number): void => {
      for (const cp of codePoints(s.slice(a, b))) list.push(cp, 0);
    };
    let prev = 0;
    for (const m of s.matchAll(this.re)) {
      copy(prev, m.index);
      list.remove(codePoints(m[0]).length);
      for (const cp of content) list.push(cp, 1);
      prev = m.index + m[0].length;
    }
    copy(prev, s.length);
    return applyChanges(x, list);
  }
}

class Prepend implements Normalizer {
  constructor(private readonly prefix: string) {}
  normalize(text: string): string {
    return text.length === 0 ? text : this.prefix + text;
  }
  /** The prefix and the first character all aligned to the first character. */
  normalizeAligned(x: AlignedText): AlignedText {
    return prependAligned(x, this.prefix);
  }
}

const nmtRemoves = (cp: number): boolean =>
  (cp >= 0x1 && cp <= 0x8) || cp === 0xb || (cp >= 0xe && cp <= 0x1f) || cp === 0x7f || cp === 0x8f || cp === 0x9f;

/** SentencePiece's NMT normalization: drop some control characters, turn others into spaces. */
class Nmt implements Normalizer {
  normalize(text: string, start?: StartTracker): string {
    let out = '';
    const cps = codePoints(text);
    if (cps.length > 0) dropStart(start, cps, !nmtRemoves(cps[0]!));
    for (const cp of cps) {
      if (nmtRemoves(cp)) continue;
      const space =
        cp === 0x9 ||
        cp === 0xa ||
        cp === 0xc ||
        cp === 0xd ||
        cp === 0x1680 ||
        (cp >= 0x200b && cp <= 0x200f) ||
        cp === 0x2028 ||
        cp === 0x2029 ||
        cp === 0x2581 ||
        cp === 0xfeff ||
        cp === 0xfffd;
      out += space ? ' ' : String.fromCodePoint(cp);
    }
    return out;
  }
  normalizeAligned(x: AlignedText, start?: StartTracker): AlignedText {
    const cps = codePoints(x.s);
    if (cps.length > 0) dropStart(start, cps, !nmtRemoves(cps[0]!));
    return mapCodePoints(x, (cp) => (nmtRemoves(cp) ? -1 : codePoints(this.normalize(String.fromCodePoint(cp)))[0]!));
  }
}

class SequenceNormalizer implements Normalizer {
  constructor(readonly normalizers: readonly Normalizer[]) {}
  normalize(text: string, start?: StartTracker): string {
    let s = text;
    for (const n of this.normalizers) s = n.normalize(s, start);
    return s;
  }
  normalizeAligned(x: AlignedText, start?: StartTracker): AlignedText {
    let y = x;
    for (const n of this.normalizers) y = n.normalizeAligned(y, start);
    return y;
  }
}

/** BertNormalizer's options with the reference's defaults (strip_accents null follows lowercase). */
export function bertNormalizerOptions(
  json: Extract<NormalizerJson, { type: 'BertNormalizer' }>,
): BertNormalizerOptions {
  checkFields(
    json,
    'BertNormalizer',
    { lowercase: 'boolean', clean_text: 'boolean', handle_chinese_chars: 'boolean', strip_accents: 'boolean' },
    { nullable: ['strip_accents'] },
  );
  const lowercase = json.lowercase ?? true;
  return {
    cleanText: json.clean_text ?? true,
    handleChineseChars: json.handle_chinese_chars ?? true,
    stripAccents: json.strip_accents ?? lowercase,
    lowercase,
  };
}

const SUPPORTED = [
  'BertNormalizer',
  'NFC',
  'NFD',
  'NFKC',
  'NFKD',
  'Lowercase',
  'StripAccents',
  'Strip',
  'Replace',
  'Prepend',
  'Nmt',
  'Sequence',
] as const;

export function createNormalizer(json: NormalizerJson): Normalizer {
  if (typeof json !== 'object' || json === null)
    throw new StaticEmbedError(
      'INVALID_TOKENIZER',
      `tokenizer.json "normalizer" must be an object or null, got ${describe(json)}.`,
    );
  switch (json.type) {
    case 'BertNormalizer':
      return new BertNormalizer(bertNormalizerOptions(json));
    case 'NFD':
      return new CodePointNormalizer(nfd, (x) => normalFormAligned(x, nfd));
    case 'NFKD':
      return new CodePointNormalizer(nfkd, (x) => normalFormAligned(x, nfkd));
    case 'NFC':
      return new CodePointNormalizer(nfc, (x) => normalFormAligned(x, nfc));
    case 'NFKC':
      return new CodePointNormalizer(nfkc, (x) => normalFormAligned(x, nfkc));
    case 'Lowercase':
      return new CodePointNormalizer(lowercaseCodePoints, (x) => mapCodePoints(x, (cp) => lowercaseOf(cp) ?? cp));
    case 'StripAccents': {
      const removes = (cp: number): boolean => (flagsOf(cp) & Flag.Combining) !== 0;
      return new CodePointNormalizer(
        (cps) => cps.filter((cp) => !removes(cp)),
        (x) => mapCodePoints(x, (cp) => (removes(cp) ? -1 : cp)),
        removes,
      );
    }
    case 'Strip':
      checkFields(json, 'Strip normalizer', { strip_left: 'boolean', strip_right: 'boolean' });
      return new Strip(json.strip_left ?? true, json.strip_right ?? true);
    case 'Replace':
      checkFields(json, 'Replace normalizer', { content: 'string' }, { required: ['content'] });
      return new Replace(json.pattern, json.content);
    case 'Prepend':
      checkFields(json, 'Prepend normalizer', { prepend: 'string' }, { required: ['prepend'] });
      return new Prepend(json.prepend);
    case 'Nmt':
      return new Nmt();
    case 'Sequence': {
      if (!Array.isArray(json.normalizers))
        throw new StaticEmbedError(
          'INVALID_TOKENIZER',
          `Sequence normalizer needs a "normalizers" array, got ${describe(json.normalizers)}.`,
        );
      return new SequenceNormalizer(json.normalizers.map(createNormalizer));
    }
    default:
      throw unsupported('normalizer', (json as { type?: unknown }).type, SUPPORTED);
  }
}

export function isBertNormalizer(n: Normalizer): n is Normalizer & { options: BertNormalizerOptions } {
  return n instanceof BertNormalizer;
}
