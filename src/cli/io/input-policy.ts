/** How a command reads text input (--encoding-errors, --binary-ok): a value built once from its options, passed to the
 * readers in io/input.ts (through the command's Args). */
import { StaticEmbedError } from '../../errors.js';

export interface InputPolicy {
  /** strict: invalid UTF-8 is an error; replace: each bad sequence becomes U+FFFD (with a note on stderr) */
  readonly encodingErrors: 'strict' | 'replace';
  /** NUL bytes (binary files) accepted */
  readonly binaryOk: boolean;
}

/** The default: invalid UTF-8 and NUL bytes are errors. */
export const STRICT_INPUT: InputPolicy = Object.freeze({ encodingErrors: 'strict', binaryOk: false });

/** The policy of a command's option values (--encoding-errors strict|replace, --binary-ok). */
export function inputPolicyOf(values: Record<string, unknown>): InputPolicy {
  const e = values['encoding-errors'] ?? 'strict';
  if (e !== 'strict' && e !== 'replace')
    throw new StaticEmbedError('INVALID_ARGUMENT', `--encoding-errors must be strict or replace, got "${String(e)}".`);
  return { encodingErrors: e, binaryOk: values['binary-ok'] === true };
}
