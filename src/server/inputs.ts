/** Validation of request fields shared by the OpenAI and TEI routes: texts, dimensions, booleans. */
import type { StaticEmbedError } from '../errors.js';
import { fieldError } from './respond.js';

export interface Limits {
  /** inputs per request */
  maxInputs: number;
  /** UTF-16 code units per input */
  maxInputChars: number;
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** A string or an array of strings, within the limits; token-id arrays are refused with a clear message. */
export function textsOf(v: unknown, param: string, limits: Limits): string[] {
  if (v === undefined)
    throw fieldError('INVALID_INPUT', param, `Missing required field '${param}': a string or an array of strings.`);
  const tokenIds = (): StaticEmbedError =>
    fieldError(
      'INVALID_INPUT',
      param,
      `'${param}' holds token ids; this server embeds text only (ids of OpenAI's tokenizers do not match this model's vocabulary). Send the text itself.`,
    );
  let list: unknown[];
  if (typeof v === 'string') list = [v];
  else if (Array.isArray(v)) {
    if (v.length === 0)
      throw fieldError('INVALID_INPUT', param, `'${param}' is an empty array; send at least one string.`);
    if (v.length > limits.maxInputs)
      throw fieldError(
        'PAYLOAD_TOO_LARGE',
        param,
        `'${param}' has ${v.length} items; the limit is ${limits.maxInputs} per request (--max-inputs). Split it into several requests.`,
      );
    list = v;
  } else
    throw fieldError('INVALID_INPUT', param, `'${param}' must be a string or an array of strings, got ${kind(v)}.`);
  list.forEach((x, i) => {
    const at = typeof v === 'string' ? param : `${param}[${i}]`;
    if (typeof x === 'number' || Array.isArray(x)) throw tokenIds();
    if (typeof x !== 'string') throw fieldError('INVALID_INPUT', param, `'${at}' must be a string, got ${kind(x)}.`);
    if (x.length === 0)
      throw fieldError('INVALID_INPUT', param, `'${at}' is an empty string; every input needs some text.`);
    if (x.length > limits.maxInputChars)
      throw fieldError(
        'PAYLOAD_TOO_LARGE',
        param,
        `'${at}' has ${x.length} characters; the limit is ${limits.maxInputChars} per input (--max-input-chars).`,
      );
  });
  return list as string[];
}

/** An optional integer in [1, max]. */
export function dimensionsOf(v: unknown, param: string, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    throw fieldError(
      'INVALID_INPUT',
      param,
      `'${param}' must be an integer from 1 to ${max} (this model's dimensions), got ${JSON.stringify(v)}.`,
    );
  return v;
}

export function booleanOf(v: unknown, param: string, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean')
    throw fieldError('INVALID_INPUT', param, `'${param}' must be true or false, got ${kind(v)}.`);
  return v;
}

/** The body as a JSON object (not an array, string or null). */
export function objectOf(v: unknown, example: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw fieldError(
      'INVALID_INPUT',
      'body',
      `The request body must be a JSON object, e.g. ${example}; got ${kind(v)}.`,
    );
  return v as Record<string, unknown>;
}
