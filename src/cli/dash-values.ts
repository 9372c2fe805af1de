/**
 * Option values that start with "-" (`--threshold -0.5`), which node:util parseArgs refuses.
 * See ARCHITECTURE.md, "CLI rules".
 */
import { StaticEmbedError } from '../errors.js';
import type { OptionSpec } from './command.js';

/** `argv` with every "-"-value written `--flag=VALUE` (what parseArgs accepts); throws when a value is missing. */
export function attachDashValues(
  command: string,
  argv: readonly string[],
  options: Record<string, OptionSpec>,
): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i)); // the rest are positionals
      break;
    }
    out.push(arg);
    if (!arg.startsWith('--') || arg.includes('=') || options[arg.slice(2)]?.type !== 'string') continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) throw missingValue(command, arg, next, options);
    out[out.length - 1] = `${arg}=${next}`;
    i++;
  }
  return out;
}

function missingValue(
  command: string,
  flag: string,
  next: string | undefined,
  options: Record<string, OptionSpec>,
): StaticEmbedError {
  const name = next?.slice(2).split('=')[0];
  const after =
    next === undefined
      ? 'nothing follows it'
      : name !== undefined && name in options
        ? `the argument after it is the option ${next}`
        : // not one of the command's options: perhaps a value that starts with "--"
          `the argument after it, "${next}", starts with "--" (a value that does is written ${flag}=VALUE)`;
  return new StaticEmbedError(
    'INVALID_ARGUMENT',
    `${flag} needs a value, but ${after}. See static-embed ${command} --help.`,
  );
}

/** Throws for an option given an empty value (`--model ''`, `--out=`), which would otherwise read as "not given". */
export function rejectEmptyValues(
  command: string,
  values: Record<string, string | boolean | string[] | undefined>,
): void {
  for (const [name, v] of Object.entries(values))
    if (v === '' || (Array.isArray(v) && v.includes('')))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--${name} needs a value, but it is empty (""); give one, or leave the option out. See static-embed ${command} --help.`,
      );
}
