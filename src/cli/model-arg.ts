/** The --model option of CLI commands: a folder or Hub id, with the load options every command shares. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { StaticEmbedError } from '../errors.js';
import type { LoadOptions } from '../model/static-model.js';
import { StaticModel } from '../model/static-model.js';
import { DEFAULT_MODEL_NAME, DEFAULT_MODEL_PATH } from '../runtime/node/default-model.js';
import { isDirectory } from '../runtime/node/fs.js';
import { CARD_TITLE } from '../transform/save.js';
import type { Args, OptionSpec } from './command.js';

export const MODEL_OPTIONS: Record<string, OptionSpec> = {
  model: { type: 'string', required: true },
  dim: { type: 'string' },
  normalize: { type: 'boolean' },
  'no-normalize': { type: 'boolean' },
  profile: { type: 'string' },
  revision: { type: 'string' },
};

export const MODEL_HELP = [
  '--model ID_OR_PATH   a model folder (sentence-transformers or model2vec layout) or a Hub id; default: the embedded ' +
    `model (models/default), also named ${DEFAULT_MODEL_NAME}`,
  '--dim N              keep the first N dimensions (Matryoshka truncation at load)',
  "--normalize / --no-normalize   override the model's normalization",
  '--profile NAME       sentence-transformers | model2vec encoding rules (default: from the layout)',
  '--revision REV       Hub revision (branch, tag or commit)',
];

/**
 * What a --model value names, as a path or Hub id to load: "static-embed-default" is the embedded default model (in
 * every command; a folder of that name in the working directory wins), anything else is itself.
 */
export function resolveModel(given: string): string {
  return given === DEFAULT_MODEL_NAME && !existsSync(given) ? DEFAULT_MODEL_PATH : given;
}

/** The command's --model, resolved (see resolveModel). */
export const modelArg = (args: Args): string => resolveModel(args.string('model'));

/**
 * How a derived model's card names its source, without this machine's file system: a Hub id or URL as given; a local
 * folder by its card's title (its model id, e.g. static-embed-default-v2) or else its base name — for a folder that
 * static-embed wrote, with the source its card records.
 */
export function modelSourceName(given: string): string {
  const path = resolveModel(given);
  if (!isDirectory(path)) return given;
  const base = basename(resolve(path));
  let card = '';
  try {
    card = readFileSync(resolve(path, 'README.md'), 'utf8').replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  } catch {
    // no card: the base name
  }
  const title = /^# +(.+?)\s*$/m.exec(card)?.[1]?.slice(0, 120);
  if (path === DEFAULT_MODEL_PATH) return `${title ?? DEFAULT_MODEL_NAME} (the embedded default model of static-embed)`;
  if (title === CARD_TITLE) {
    const from = /^- Source: (.+)$/m.exec(card)?.[1];
    return `local folder "${base}"${from ? ` (a static-embed copy of ${from})` : ''}`;
  }
  return title && title !== base ? `${title} (local folder "${base}")` : `local folder "${base}"`;
}

export function loadOptionsFrom(args: Args): LoadOptions & { revision?: string } {
  const o: LoadOptions & { revision?: string } = {};
  if (args.values.dim !== undefined) o.truncateDim = args.int('dim', 0);
  if (args.boolean('normalize') && args.boolean('no-normalize')) {
    throw new StaticEmbedError('INVALID_ARGUMENT', `give --normalize or --no-normalize, not both.`);
  }
  if (args.boolean('normalize')) o.normalize = true;
  if (args.boolean('no-normalize')) o.normalize = false;
  const p = args.optionalString('profile');
  if (p !== undefined) {
    if (p !== 'sentence-transformers' && p !== 'model2vec')
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--profile must be sentence-transformers or model2vec, got "${p}".`,
      );
    o.profile = p;
  }
  const r = args.optionalString('revision');
  if (r !== undefined) o.revision = r;
  return o;
}

export async function loadModelArg(args: Args): Promise<StaticModel> {
  const options = loadOptionsFrom(args);
  const model = await StaticModel.fromPretrained(modelArg(args), options);
  const full = model.info().sourceDim;
  if (options.truncateDim !== undefined && options.truncateDim > full) {
    await model.close();
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--dim ${options.truncateDim} is more than the model's ${full} dimensions; give --dim from 1 to ${full} (or leave it out for all ${full}).`,
    );
  }
  return model;
}
