/** Number values of CLI options, parsed strictly, one rule for every command. See ARCHITECTURE.md, "CLI rules". */
import { StaticEmbedError } from '../../errors.js';

const INTEGER = /^-?(0|[1-9]\d*)$/;
const NUMBER = /^-?((0|[1-9]\d*)(\.\d+)?|\.\d+)([eE][-+]?\d+)?$/;

/** The range of an option's values: inclusive bounds, or `above` for an exclusive lower bound. */
export interface Range {
  min?: number;
  max?: number;
  /** values must be greater than this */
  above?: number;
}

function rangeText(r: Range): string {
  const lo = r.above !== undefined ? `> ${r.above}` : r.min !== undefined && r.min > -Infinity ? r.min : undefined;
  const hi = r.max !== undefined && r.max < Infinity && r.max !== Number.MAX_SAFE_INTEGER ? r.max : undefined;
  if (typeof lo === 'number' && hi !== undefined) return ` from ${lo} to ${hi}`;
  if (lo !== undefined) return typeof lo === 'number' ? ` >= ${lo}` : ` ${lo}`;
  return hi !== undefined ? ` <= ${hi}` : '';
}

const inRange = (x: number, r: Range) =>
  (r.min === undefined || x >= r.min) && (r.max === undefined || x <= r.max) && (r.above === undefined || x > r.above);

function fail(name: string, kind: string, r: Range, value: string, syntax: string): StaticEmbedError {
  return new StaticEmbedError(
    'INVALID_ARGUMENT',
    `--${name} must be ${kind}${rangeText(r)}, got ${JSON.stringify(value)}${syntax ? ` (${syntax})` : ''}.`,
  );
}

const INTEGER_SYNTAX = 'write it in decimal digits: no "+", exponent, fraction, hex or leading zeros';
const NUMBER_SYNTAX = 'write it in decimal, e.g. 0.5, .5 or 2e-3: no "+", hex, leading zeros or spaces';

/** What is wrong with an integer value: its spelling, its range, or nothing. */
function integerProblem(value: string, r: Range): 'syntax' | 'range' | undefined {
  if (!INTEGER.test(value)) return 'syntax';
  return inRange(Number(value), r) ? undefined : 'range';
}

/** An integer option's value (see the file comment for the syntax); `name` is the option without "--". */
export function parseInteger(value: string, name: string, range: Range = { min: 1 }): number {
  const r = { max: Number.MAX_SAFE_INTEGER, ...range };
  const problem = integerProblem(value, r);
  if (problem !== undefined)
    throw fail(
      name,
      'an integer',
      r,
      value,
      problem === 'syntax' && /^\s*[-+]?[\d.]/.test(value)
        ? INTEGER_SYNTAX
        : problem === 'range' && r.max === Number.MAX_SAFE_INTEGER && Number(value) > r.max
          ? `at most ${r.max}`
          : '',
    );
  return Number(value);
}

/** A number option's value (decimal, optional fraction and exponent, finite). */
export function parseNumber(value: string, name: string, range: Range = {}, kind = 'a number'): number {
  if (!NUMBER.test(value)) throw fail(name, kind, range, value, /^\s*[-+]?[\d.]/.test(value) ? NUMBER_SYNTAX : '');
  const n = Number(value);
  if (!Number.isFinite(n) || !inRange(n, range)) throw fail(name, kind, range, value, '');
  return n;
}

/** A comma-separated list of integers (e.g. --dims 32,64,128), each one as parseInteger reads it. */
export function parseIntegerList(value: string, name: string, range: Range = { min: 1 }): number[] {
  const r = { max: Number.MAX_SAFE_INTEGER, ...range };
  return value.split(',').map((v) => {
    const problem = integerProblem(v, r);
    if (problem !== undefined)
      throw fail(
        name,
        'a comma-separated list of integers',
        r,
        value,
        `${JSON.stringify(v)} ${problem === 'range' ? 'is out of range' : `is not one: ${INTEGER_SYNTAX}`}`,
      );
    return Number(v);
  });
}
