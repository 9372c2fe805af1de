/**
 * The static-embed command line: one table of commands, arguments parsed with node:util parseArgs. Each command's
 * module (and what it imports) is loaded only when that command runs.
 */
import { printLine } from './io/stdout.js';
import { parseArgs } from 'node:util';
import { StaticEmbedError } from '../errors.js';
import { Args, type Command } from './command.js';
import { closest, optionError, reportError } from './cli-errors.js';
import { attachDashValues, rejectEmptyValues } from './dash-values.js';
import { STATIC_EMBED_VERSION } from '../version.js';
import { discardPendingWrites } from '../runtime/node/atomic-write.js';
import { inputPolicyOf } from './io/input-policy.js';

/** The commands, in the order of the help, each loaded on demand. */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Command>]> = [
  ['encode', async () => (await import('./commands/encode.js')).encode],
  ['similarity', async () => (await import('./commands/similarity.js')).similarity],
  ['search', async () => (await import('./commands/search.js')).search],
  ['chunk', async () => (await import('./commands/chunk.js')).chunk],
  ['mine', async () => (await import('./commands/mine.js')).mine],
  ['index', async () => (await import('./commands/index-store.js')).indexStore],
  ['cluster', async () => (await import('./commands/cluster.js')).cluster],
  ['classify', async () => (await import('./commands/classify.js')).classify],
  ['eval', async () => (await import('./commands/eval.js')).evaluate],
  ['convert', async () => (await import('./commands/convert.js')).convert],
  ['train', async () => (await import('./commands/train.js')).trainCommand],
  ['train-tokenizer', async () => (await import('./commands/train-tokenizer.js')).trainTokenizer],
  ['serve', async () => (await import('./commands/serve.js')).serve],
  ['info', async () => (await import('./commands/info.js')).info],
  ['tokenize', async () => (await import('./commands/tokenize.js')).tokenize],
];

/** Every command, loaded (the help, and tests that go through them all). */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map(([, load]) => load()));
}

async function help(): Promise<string> {
  const commands = await loadCommands();
  const lines = ['static-embed — static embedding models (tokenize, encode, serve) in TypeScript', '', 'Commands:'];
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  for (const c of commands) lines.push(`  ${c.name.padEnd(width)} ${c.summary}`);
  lines.push('', 'Run "static-embed <command> --help" for its options.');
  return lines.join('\n');
}

function commandHelp(c: Command): string {
  return [`Usage: ${c.usage}`, '', c.summary, ...(c.details ?? []).map((d) => '  ' + d)].join('\n');
}

/** A positional argument a command does not take is an error, never silently dropped (a text meant for stdin). */
function rejectStrayArguments(command: Command, positionals: string[]): void {
  if (command.operands !== undefined) return;
  const allowed = command.subcommands ? 1 : 0;
  const stray = positionals[allowed];
  if (stray === undefined) return;
  const takes = command.subcommands ? `one subcommand (${command.subcommands.join(', ')})` : 'no arguments';
  const texts = command.options.input ? ' (its texts come from --input FILE or stdin)' : '';
  throw new StaticEmbedError(
    'INVALID_ARGUMENT',
    `unexpected argument ${JSON.stringify(stray)}: static-embed ${command.name} takes ${takes} besides its` +
      ` options${texts}; see static-embed ${command.name} --help.`,
  );
}

/** --help or -h given as an option: not after "--", and not as the value of an option that takes one (--query -h). */
function asksForHelp(command: Command, rest: string[]): boolean {
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--') return false;
    if (a !== '--help' && a !== '-h') continue;
    const prev = rest[i - 1] ?? '';
    const spec = prev.startsWith('--')
      ? command.options[prev.slice(2)]
      : /^-[A-Za-z]$/.test(prev)
        ? Object.values(command.options).find((o) => o.short === prev[1])
        : undefined;
    if (spec?.type !== 'string') return true;
  }
  return false;
}

/** Prints a whole answer (help, version): exit code 0, or 2 when stdout cannot take it. */
function answer(command: string, text: string): number {
  try {
    printLine(text);
    return 0;
  } catch (e) {
    return reportError(command, e);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // no command is a usage error: the help goes to stderr (stdout stays empty for pipes), exit code 2
    console.error(await help());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') return answer('', await help());
  if (name === '--version') return answer('', STATIC_EMBED_VERSION);
  const entry = COMMANDS.find(([n]) => n === name);
  if (!entry) {
    const names = COMMANDS.map(([n]) => n);
    const guess = closest(name, names);
    return reportError(
      '',
      new StaticEmbedError(
        'INVALID_ARGUMENT',
        `unknown command "${name}".${guess ? ` Did you mean "${guess}"?` : ''} Commands: ${names.join(', ')} (static-embed --help).`,
      ),
    );
  }
  const command = await entry[1]();
  if (asksForHelp(command, rest)) return answer(name, commandHelp(command));
  try {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
    for (const [k, spec] of Object.entries(command.options)) {
      options[k] = {
        type: spec.type,
        ...(spec.short ? { short: spec.short } : {}),
        ...(spec.multiple ? { multiple: true } : {}),
      };
    }
    const argv = attachDashValues(name, rest, command.options);
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options,
        allowPositionals: true,
        strict: true,
      });
    } catch (cause) {
      throw optionError(name, cause as Error, Object.keys(command.options), command.operands);
    }
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    rejectEmptyValues(name, values);
    rejectStrayArguments(command, parsed.positionals);
    const args = new Args(name, values, parsed.positionals, inputPolicyOf(values));
    if (command.options.model?.required && args.values.model === undefined)
      args.values.model = (await import('../runtime/node/default-model.js')).DEFAULT_MODEL_PATH;
    for (const [k, spec] of Object.entries(command.options)) if (spec.required) args.string(k);
    await command.run(args);
    return 0;
  } catch (e) {
    // a failed command leaves no temporary file behind, and no partial output under its final name
    discardPendingWrites();
    return reportError(name, e);
  }
}
