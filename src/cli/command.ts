/** The shape of a CLI command: options declared for node:util parseArgs, a run function. */
import { StaticEmbedError } from '../errors.js';
import { STRICT_INPUT, type InputPolicy } from './io/input-policy.js';
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
  /** the subcommands a command takes as its one positional argument (classify train, index build, …) */
  subcommands?: readonly string[];
  run(args: Args): Promise<void>;
}

/** The largest value of the options that size threads or memory (far beyond any use; each one a range error). */
const INT_CEILINGS: Record<string, number> = {
  workers: 1024,
  serializers: 1024,
  'batch-size': 1_000_000,
  'top-k': 1_000_000,
};

/** The files of a FILE[,FILE…] value of option `name`; an empty name (a stray comma) is an error. */
export function splitFiles(name: string, value: string): string[] {
  const files = value.split(',');
  if (files.includes(''))
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--${name} "${value}" has an empty file name: give FILE[,FILE…] without a leading, trailing or doubled comma.`,
    );
  return files;
}

/**
 * A command's run in named steps, the shape every long command shares: its options parsed, then checked with its
 * inputs and outputs (before any work), executed, reported.
 */
export interface Steps<Options, Checked, Result> {
  parse(args: Args): Options;
  check(options: Options, args: Args): Checked | Promise<Checked>;
  execute(checked: Checked, options: Options, args: Args): Result | Promise<Result>;
  report(result: Result, checked: Checked, options: Options, args: Args): void | Promise<void>;
}

/** The run function of a command given as steps. */
export function inSteps<Options, Checked, Result>(steps: Steps<Options, Checked, Result>): Command['run'] {
  return async (args) => {
    const options = steps.parse(args);
    const checked = await steps.check(options, args);
    const result = await steps.execute(checked, options, args);
    await steps.report(result, checked, options, args);
  };
}

/**
 * Parsed options with typed accessors that fail with a clear message, and the command's input policy (how its text
 * inputs are decoded: --encoding-errors, --binary-ok), which the CLI builds once from the options.
 */
export class Args {
  constructor(
    readonly command: string,
    readonly values: Record<string, string | boolean | string[] | undefined>,
    readonly positionals: string[],
    readonly inputPolicy: InputPolicy = STRICT_INPUT,
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
  /** A comma-separated list of files (FILE[,FILE…]), or undefined when absent; see splitFiles. */
  files(name: string): string[] | undefined {
    const v = this.optionalString(name);
    return v === undefined ? undefined : splitFiles(name, v);
  }
  /**
   * An integer option (strict decimal, see io/numbers.ts), or `fallback` when absent. Options that size memory or
   * threads have a ceiling (INT_CEILINGS): past it a value is a range error, not an allocation failure.
   */
  int(name: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.values[name];
    if (v === undefined) return fallback;
    return parseInteger(String(v), name, { min, max: Math.min(max, INT_CEILINGS[name] ?? max) });
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
