/**
 * The model a saved classifier records (classify train) and how classify predict finds it again. A classifier file
 * is shared like a model card, so it names its model portably (modelIdentity: never a path of the machine that
 * trained it): predict without --model loads the embedded model by its id and a Hub model by its id (and revision);
 * a local folder has no portable address, so predict asks for --model, naming what was recorded.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { StaticEmbedError } from '../errors.js';
import type { StaticModel } from '../model/static-model.js';
import { DEFAULT_MODEL_PATH } from '../runtime/node/default-model.js';
import type { Args } from './command.js';
import { embeddedModelId, loadOptionsFrom, modelIdentity, type ModelIdentity } from './model-arg.js';

/** The model fields of a classifier's `meta` (with `trainedOn`, the data file's base name, and `examples`). */
export interface ClassifierModelMeta {
  /** the portable name (ModelIdentity's id); older files hold the --model value as given */
  model?: string;
  /** where `model` is found: absent in files written before portable names */
  modelSource?: ModelIdentity['kind'];
  /** a local folder's base name, when `model` is its card's id */
  modelFolder?: string;
  /** the Hub revision given at training */
  revision?: string;
  /** the embedding width the classifier was trained on (--dim) */
  dim?: number;
  normalize?: boolean;
  profile?: 'sentence-transformers' | 'model2vec';
}

/** What classify train records about the model: its portable name and the load options that shaped its embeddings. */
export function classifierModelMeta(given: string, model: StaticModel, args: Args): ClassifierModelMeta {
  const m = modelIdentity(given);
  const o = loadOptionsFrom(args);
  return {
    model: m.id,
    modelSource: m.kind,
    ...(m.kind === 'local' && m.folder !== m.id ? { modelFolder: m.folder } : {}),
    ...(m.kind === 'hub' && o.revision !== undefined ? { revision: o.revision } : {}),
    dim: model.dim,
    normalize: model.normalize,
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
  };
}

/**
 * The --model value (and load options) classify predict uses: the recorded model when --model is omitted — or a
 * NOT_FOUND error naming what was recorded and the fix — else --model. The recorded --dim, normalization, --profile
 * and --revision apply unless given again, except to a --model other than the recorded one (used as asked, with a
 * note on stderr).
 */
export function useRecordedModel(args: Args, meta: ClassifierModelMeta, where: string): void {
  const given = args.optionalString('model');
  if (given === undefined) args.values.model = recordedSource(meta, where);
  else if (meta.modelSource !== undefined && typeof meta.model === 'string') {
    const id = modelIdentity(given).id;
    if (id !== meta.model) {
      process.stderr.write(`note: ${where} was trained on "${meta.model}"; labelling with "${id}" (--model).\n`);
      return;
    }
  }
  if (args.values.dim === undefined && Number.isInteger(meta.dim)) args.values.dim = String(meta.dim);
  if (!args.boolean('normalize') && !args.boolean('no-normalize') && typeof meta.normalize === 'boolean')
    args.values[meta.normalize ? 'normalize' : 'no-normalize'] = true;
  if (args.values.profile === undefined && typeof meta.profile === 'string') args.values.profile = meta.profile;
  if (args.values.revision === undefined && typeof meta.revision === 'string') args.values.revision = meta.revision;
}

function recordedSource(meta: ClassifierModelMeta, where: string): string {
  const fix = 'give --model with that model, or train the classifier again with the model you want';
  const recorded = meta.model;
  if (typeof recorded !== 'string' || recorded === '')
    throw new StaticEmbedError(
      'NOT_FOUND',
      `${where} records no model ("meta.model" is missing), so predict cannot tell which model made its embeddings; ` +
        `give --model with the model it was trained on.`,
    );
  switch (meta.modelSource) {
    case 'embedded': {
      const now = embeddedModelId();
      if (recorded === now) return DEFAULT_MODEL_PATH;
      throw new StaticEmbedError(
        'NOT_FOUND',
        `${where} was trained on ${recorded}, the embedded default model of another static-embed version; this ` +
          `version embeds ${now}, whose embeddings differ; ${fix}.`,
      );
    }
    case 'hub':
      return recorded;
    case 'local':
      throw new StaticEmbedError(
        'NOT_FOUND',
        `${where} was trained on the local model "${recorded}"` +
          `${typeof meta.modelFolder === 'string' ? ` (folder "${meta.modelFolder}")` : ''}, and a classifier records ` +
          `no paths of the machine that trained it; give --model PATH to that model folder.`,
      );
    case undefined:
      // written before portable names: the --model value as given then
      if (isAbsolute(recorded) && !existsSync(recorded))
        throw new StaticEmbedError(
          'NOT_FOUND',
          `${where} was trained on the model at ${recorded}, which is missing; ${fix}.`,
        );
      return recorded;
    default:
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `${where}: "meta.modelSource" must be embedded, hub or local, got ${JSON.stringify(meta.modelSource)}; ${fix}.`,
      );
  }
}
