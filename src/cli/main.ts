/** The static-embed command line: one table of commands, arguments parsed with node:util parseArgs. */
import { parseArgs } from 'node:util';
import { StaticEmbedError } from '../errors.js';
import { Args, type Command } from './command.js';
import { closest, optionError, reportError } from './cli-errors.js';
import { attachDashValues, rejectEmptyValues } from './dash-values.js';
import { chunk } from './commands/chunk.js';
import { classify } from './commands/classify.js';
import { convert } from './commands/convert.js';
import { cluster } from './commands/cluster.js';
import { encode } from './commands/encode.js';
import { evaluate } from './commands/eval.js';
import { mine } from './commands/mine.js';
import { indexStore } from './commands/index-store.js';
import { search } from './commands/search.js';
import { serve } from './commands/serve.js';
import { info } from './commands/info.js';
import { similarity } from './commands/similarity.js';
import { tokenize } from './commands/tokenize.js';
import { trainCommand } from './commands/train.js';
import { trainTokenizer } from './commands/train-tokenizer.js';
import '../node.js';
import { DEFAULT_MODEL_PATH } from '../runtime/node/default-model.js';
import { STATIC_EMBED_VERSION } from '../version.js';

const COMMANDS: readonly Command[] = [
  encode,
  similarity,
  search,
  chunk,
  mine,
  indexStore,
  cluster,
  classify,
  evaluate,
  convert,
  trainCommand,
  trainTokenizer,
  serve,
  info,
  tokenize,
];

function help(): string {
  const lines = ['static-embed — static embedding models (tokenize, encode, serve) in TypeScript', '', 'Commands:'];
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(width)} ${c.summary}`);
  lines.push('', 'Run "static-embed <command> --help" for its options.');
  return lines.join('\n');
}

function commandHelp(c: Command): string {
  return [`Usage: ${c.usage}`, '', c.summary, ...(c.details ?? []).map((d) => '  ' + d)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // no command is a usage error: the help goes to stderr (stdout stays empty for pipes), exit code 2
    console.error(help());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  if (name === '--version') {
    console.log(STATIC_EMBED_VERSION);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const names = COMMANDS.map((c) => c.name);
    const guess = closest(name, names);
    return reportError(
      '',
      new StaticEmbedError(
        'INVALID_ARGUMENT',
        `unknown command "${name}".${guess ? ` Did you mean "${guess}"?` : ''} Commands: ${names.join(', ')} (static-embed --help).`,
      ),
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(command));
    return 0;
  }
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
    const args = new Args(name, values, parsed.positionals);
    if (command.options.model?.required && args.values.model === undefined) args.values.model = DEFAULT_MODEL_PATH;
    for (const [k, spec] of Object.entries(command.options)) if (spec.required) args.string(k);
    await command.run(args);
    return 0;
  } catch (e) {
    return reportError(name, e);
  }
}
