/** Normalizers: string → string, with the Rust `tokenizers` semantics. See ARCHITECTURE.md, "Tokenizer fidelity". */
import { StaticEmbedError, describe, unsupported } from '../errors.js';
import { checkFields } from './fields.js';
import type { NormalizerJson, PatternJson } from './schema.js';
import { Flag, flagsOf, codePoints, fromCodePoints, lowercaseOf, nfc, nfd, nfkc, nfkd } from './unicode.js';
import { compilePattern } from './pattern.js';

/** Whether a piece still starts at original offset 0. */
export interface StartTracker {
  atStart: boolean;
}

export interface Normalizer {
  normalize(text: string, start?: StartTracker): string;
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
}

/** A code-point transformation; `filter` says which input code points it removes (for the start tracker). */
class CodePointNormalizer implements Normalizer {
  constructor(
    private readonly fn: (cps: number[]) => number[],
    private readonly removes?: (cp: number) => boolean,
  ) {}
  normalize(text: string, start?: StartTracker): string {
    const cps = codePoints(text);
    if (this.removes && cps.length > 0) dropStart(start, cps, !this.removes(cps[0]!));
    return fromCodePoints(this.fn(cps));
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
}

class Prepend implements Normalizer {
  constructor(private readonly prefix: string) {}
  normalize(text: string): string {
    return text.length === 0 ? text : this.prefix + text;
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
}

class SequenceNormalizer implements Normalizer {
  constructor(readonly normalizers: readonly Normalizer[]) {}
  normalize(text: string, start?: StartTracker): string {
    let s = text;
    for (const n of this.normalizers) s = n.normalize(s, start);
    return s;
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
      return new CodePointNormalizer(nfd);
    case 'NFKD':
      return new CodePointNormalizer(nfkd);
    case 'NFC':
      return new CodePointNormalizer(nfc);
    case 'NFKC':
      return new CodePointNormalizer(nfkc);
    case 'Lowercase':
      return new CodePointNormalizer(lowercaseCodePoints);
    case 'StripAccents': {
      const removes = (cp: number): boolean => (flagsOf(cp) & Flag.Combining) !== 0;
      return new CodePointNormalizer((cps) => cps.filter((cp) => !removes(cp)), removes);
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
