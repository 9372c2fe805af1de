/** The nesting limit of JSON read from model files (tokenizer components, configs): deeper is a typed error. */
import { StaticEmbedError, type ErrorCode } from './errors.js';

/** Levels of arrays and objects allowed; real files use fewer than ten. */
export const MAX_JSON_DEPTH = 64;

/** Throws `code` when `value` nests arrays and objects more than `limit` levels deep (walked without recursion). */
export function checkJsonDepth(value: unknown, what: string, code: ErrorCode, limit = MAX_JSON_DEPTH): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit)
      throw new StaticEmbedError(
        code,
        `${what} nests arrays and objects more than ${limit} levels deep; real files use fewer than ten. ` +
          'The file is damaged or was made to exhaust the loader.',
      );
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}
