/**
 * Patterns of `Replace` and `Split`: literal strings, or Oniguruma regexes run as JavaScript ones.
 * See ARCHITECTURE.md, "Tokenizer fidelity".
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { PatternJson } from './schema.js';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ONIG_SPACE = '\\t\\n\\v\\f\\r\\x85\\p{Zs}\\p{Zl}\\p{Zp}';
const ONIG_WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';

/** Rewrites \d \D \w \W \s \S to the Unicode classes Oniguruma gives them. */
export function translateOniguruma(re: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\' && i + 1 < re.length) {
      const n = re[i + 1]!;
      i++;
      const inner = n === 'd' ? '\\p{Nd}' : n === 'w' ? ONIG_WORD : n === 's' ? ONIG_SPACE : undefined;
      if (inner !== undefined) {
        out += inClass ? inner : `[${inner}]`;
        continue;
      }
      if (n === 'D') {
        out += '\\P{Nd}';
        continue;
      }
      if ((n === 'W' || n === 'S') && !inClass) {
        out += `[^${n === 'W' ? ONIG_WORD : ONIG_SPACE}]`;
        continue;
      }
      out += c + n;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

export function compilePattern(pattern: PatternJson, where: string): RegExp {
  if (pattern && typeof pattern === 'object' && 'String' in pattern && typeof pattern.String === 'string') {
    return new RegExp(escapeRegExp(pattern.String), 'gu');
  }
  if (pattern && typeof pattern === 'object' && 'Regex' in pattern && typeof pattern.Regex === 'string') {
    try {
      return new RegExp(translateOniguruma(pattern.Regex), 'gu');
    } catch (cause) {
      throw new StaticEmbedError(
        'UNSUPPORTED_COMPONENT',
        `${where}: the regex ${JSON.stringify(pattern.Regex)} is not valid as a JavaScript Unicode regex (${String(cause)}). ` +
          'Rewrite the pattern without Oniguruma-only syntax (inline flags, possessive quantifiers).',
        { cause },
      );
    }
  }
  throw new StaticEmbedError(
    'INVALID_TOKENIZER',
    `${where}: expected a pattern {"String": ...} or {"Regex": ...}, got ${describe(pattern)}.`,
  );
}
