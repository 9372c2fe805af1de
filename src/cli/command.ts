/** The shape of a CLI command: options declared for node:util parseArgs, a run function. */
import { StaticEmbedError } from '../errors.js';

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
  int(name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.values[name];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--${name} must be an integer ${range}, got ${JSON.stringify(v)}.`,
      );
    }
    return n;
  }
  /** A positive duration given in seconds (fractions allowed), in milliseconds. */
  seconds(name: string, fallbackSeconds: number): number {
    const v = this.values[name];
    if (v === undefined) return fallbackSeconds * 1000;
    const n = Number(v);
    if (typeof v !== 'string' || !(n > 0) || !Number.isFinite(n)) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--${name} must be a positive number of seconds, got ${JSON.stringify(v)}.`,
      );
    }
    return Math.round(n * 1000);
  }
}
