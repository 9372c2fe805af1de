/** The --model option of CLI commands: a folder or Hub id, with the load options every command shares. */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { StaticEmbedError } from '../errors.js';
import type { LoadOptions } from '../model/static-model.js';
import { StaticModel } from '../runtime/node/api.js';
import {
  DEFAULT_MODEL_NAME,
  DEFAULT_MODEL_PATH,
  defaultModelId,
  isDefaultModelName,
} from '../runtime/node/default-model.js';
import { isDirectory, modelCardBody, readSourceLicence } from '../runtime/node/fs.js';
import { CARD_TITLE, type SourceLicence } from '../transform/save.js';
import type { Args, OptionSpec } from './command.js';
import { withModelSuggestion } from './model-suggest.js';

export const MODEL_OPTIONS: Record<string, OptionSpec> = {
  model: { type: 'string', required: true },
  dim: { type: 'string' },
  normalize: { type: 'boolean' },
  'no-normalize': { type: 'boolean' },
  profile: { type: 'string' },
  revision: { type: 'string' },
  'table-dtype': { type: 'string' },
};

export const MODEL_HELP = [
  '--model M            a model folder (sentence-transformers or model2vec layout) or a Hub id (owner/name); default: ' +
    `${DEFAULT_MODEL_NAME}, the embedded model (models/default; also named by its id, e.g. static-embed-default-v2)`,
  '--dim N              keep the first N dimensions (Matryoshka truncation at load)',
  "--normalize / --no-normalize   override the model's normalization",
  '--profile NAME       sentence-transformers | model2vec encoding rules (default: from the layout)',
  '--revision REV       Hub revision (branch, tag or commit)',
  '--table-dtype stored|float32   keep the table as stored (default: int8, float16 and bfloat16 tables stay compact) ' +
    'or widen it to float32 at load (same embeddings, four bytes a value)',
];

/**
 * What a --model value names, as a path or Hub id to load — the one resolver of model names (the embedded model's
 * names, a shadowing path, another version's id). See ARCHITECTURE.md, "CLI rules".
 */
export function resolveModel(given: string): string {
  if (existsSync(given)) return given;
  if (isDefaultModelName(given)) return DEFAULT_MODEL_PATH;
  if (/^static-embed-default-v\d+$/.test(given))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `${given} is the embedded default model of another static-embed version; this version embeds ` +
        `${defaultModelId()} (also named ${DEFAULT_MODEL_NAME}), whose embeddings differ. Use --model ` +
        `${DEFAULT_MODEL_NAME} for this one, or the static-embed version that embeds ${given} (or a copy of it ` +
        `written by that version's static-embed convert).`,
    );
  return given;
}

/**
 * A model that failed to load from a path which took the place of the embedded model's name (a folder or file
 * `static-embed-default` in the working directory): the error, saying so and how to get either. Other errors as
 * they are.
 */
export function shadowedNameError(given: string, e: unknown): unknown {
  if (!(e instanceof StaticEmbedError) || !isDefaultModelName(given) || !existsSync(given)) return e;
  return new StaticEmbedError(
    e.code,
    `"${given}" is the ${isDirectory(given) ? 'folder' : 'file'} ${resolve(given)} here, not the embedded default ` +
      `model: a path in the working directory takes the place of that name. To use the embedded model, leave out ` +
      `--model (or run from another folder, or rename that ${isDirectory(given) ? 'folder' : 'file'}); to load it ` +
      `as a model: ${e.message}`,
    { cause: e },
  );
}

/** Loads a --model value (resolveModel), with shadowedNameError's explanation when it fails. */
export async function loadModel(given: string, options: LoadOptions & { revision?: string }): Promise<StaticModel> {
  try {
    return await StaticModel.fromPretrained(resolveModel(given), options);
  } catch (e) {
    throw withModelSuggestion(given, shadowedNameError(given, e));
  }
}

/** The command's --model, resolved (see resolveModel). */
export const modelArg = (args: Args): string => resolveModel(args.string('model'));

/**
 * A model named without this machine's file system, the one naming rule of everything static-embed writes about a model
 * (cards, evaluation results, classifiers, the server's model names).
 */
export interface ModelIdentity {
  kind: 'embedded' | 'hub' | 'local';
  /** the portable name: a safe MTEB model name (no path of this machine) */
  id: string;
  /** a local folder's base name */
  folder?: string;
  /** the card's title (a local folder or the embedded model) */
  title?: string;
  /** for a folder static-embed wrote: the source its card records */
  copyOf?: string;
}

/** A card title that is a model id (e.g. static-embed-default-v2, org/name), not a sentence. */
const ID_TITLE = /^[\w.-]+(\/[\w.-]+)?$/;

/** What a --model value is, named portably (see ModelIdentity). */
export function modelIdentity(given: string): ModelIdentity {
  const path = resolveModel(given);
  if (!isDirectory(path)) return { kind: 'hub', id: given };
  const folder = basename(resolve(path));
  if (resolve(path) === resolve(DEFAULT_MODEL_PATH)) return { kind: 'embedded', id: defaultModelId(), folder };
  // no card: the base name
  const { body: card, title } = modelCardBody(path);
  if (title === CARD_TITLE) {
    const copyOf = /^- Source: (.+)$/m.exec(card)?.[1];
    return { kind: 'local', id: folder, folder, ...(copyOf ? { copyOf } : {}) };
  }
  return { kind: 'local', id: title && ID_TITLE.test(title) ? title : folder, folder, ...(title ? { title } : {}) };
}

/** The portable name of a --model value (ModelIdentity's id): what evaluation results and classifiers record. */
export const portableModelName = (given: string): string => modelIdentity(given).id;

/**
 * How a derived model's card names its source, without this machine's file system: a Hub id or URL as given; the
 * embedded model by its id; a local folder by its card's title or else its base name — for a folder that static-embed
 * wrote, with the source its card records.
 */
export function modelSourceName(given: string): string {
  const m = modelIdentity(given);
  if (m.kind === 'hub') return m.id;
  if (m.kind === 'embedded') return `${m.id} (the embedded default model of static-embed)`;
  if (m.copyOf !== undefined || m.title === undefined)
    return `local folder "${m.folder}"${m.copyOf ? ` (a static-embed copy of ${m.copyOf})` : ''}`;
  return m.title !== m.folder ? `${m.title} (local folder "${m.folder}")` : `local folder "${m.folder}"`;
}

/**
 * What a derived model's card records about its source (convert, train --init): its name (modelSourceName) and, for
 * a local folder or the embedded model, its licence (the card's license: id, LICENSE/NOTICE files) to carry along.
 */
export function derivedFrom(given: string): { source: string; licence?: SourceLicence } {
  const licence = readSourceLicence(resolveModel(given));
  return { source: modelSourceName(given), ...(licence ? { licence } : {}) };
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
  const t = args.optionalString('table-dtype');
  if (t !== undefined) {
    if (t !== 'stored' && t !== 'float32')
      throw new StaticEmbedError('INVALID_ARGUMENT', `--table-dtype must be stored or float32, got "${t}".`);
    o.tableDtype = t;
  }
  return o;
}

export async function loadModelArg(args: Args): Promise<StaticModel> {
  const options = loadOptionsFrom(args);
  const model = await loadModel(args.string('model'), options);
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
