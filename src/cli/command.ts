/** The shape of a CLI command: options declared for node:util parseArgs, a run function. */
import { StaticEmbedError } from '../errors.js';
import { parseInteger, parseNumber, type Range } from './io/numbers.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  required?: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  details?: string[];
  options: Record<string, OptionSpec>;
  /** what the command's positional arguments are (e.g. "TEXT"), for commands that take texts or files among them */
  operands?: string;
  run(args: Args): Promise<void>;
}

/** Parsed options with typed accessors that fail with a clear message. */
export class Args {
  constructor(
    readonly command: string,
    readonly values: Record<string, string | boolean | string[] | undefined>,
    readonly positionals: string[],
  ) {}

  string(name: string): string {
    const v = this.values[name];
    if (typeof v !== 'string' || v === '') throw new StaticEmbedError('INVALID_ARGUMENT', `--${name} is required.`);
    return v;
  }
  optionalString(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }
  boolean(name: string): boolean {
    return this.values[name] === true;
  }
  /** An integer option (strict decimal, see io/numbers.ts), or `fallback` when absent. */
  int(name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.values[name];
    if (v === undefined) return fallback;
    return parseInteger(String(v), name, { min, max });
  }
  /** A number option (decimal, optional fraction and exponent), or undefined when absent. */
  number(name: string, range: Range = {}): number | undefined {
    const v = this.values[name];
    return v === undefined ? undefined : parseNumber(String(v), name, range);
  }
  /** A positive duration given in seconds (fractions allowed), in milliseconds. */
  seconds(name: string, fallbackSeconds: number): number {
    const v = this.values[name];
    if (v === undefined) return fallbackSeconds * 1000;
    return Math.round(parseNumber(String(v), name, { above: 0 }, 'a number of seconds') * 1000);
  }
}
