/**
 * The model a saved classifier records (classify train) and how classify predict finds it again.
 * See ARCHITECTURE.md, "CLI rules".
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { StaticEmbedError } from '../errors.js';
import type { StaticModel } from '../model/static-model.js';
import { DEFAULT_MODEL_PATH, defaultModelId } from '../runtime/node/default-model.js';
import type { Args } from './command.js';
import { loadModelArg, loadOptionsFrom, modelIdentity, type ModelIdentity } from './model-arg.js';

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
 * The --model value (and load options) classify predict uses: the recorded model when --model is omitted, else --model
 * with the recorded --dim, normalization and --profile unless given again; returns the note for stderr. See
 * ARCHITECTURE.md, "CLI rules".
 */
export function useRecordedModel(args: Args, meta: ClassifierModelMeta, where: string): string | undefined {
  const given = args.optionalString('model');
  let other: string | undefined; // the --model given, when it is not the recorded model
  if (given === undefined) args.values.model = recordedSource(meta, where);
  else if (meta.modelSource !== undefined && typeof meta.model === 'string') {
    const id = modelIdentity(given).id;
    if (id !== meta.model) other = id;
  }
  const applied: string[] = [],
    notApplied: string[] = [];
  if (args.values.dim === undefined && Number.isInteger(meta.dim)) {
    args.values.dim = String(meta.dim);
    applied.push(`--dim ${meta.dim}`);
  }
  if (!args.boolean('normalize') && !args.boolean('no-normalize') && typeof meta.normalize === 'boolean') {
    const flag = meta.normalize ? 'normalize' : 'no-normalize';
    args.values[flag] = true;
    applied.push(`--${flag}`);
  }
  if (args.values.profile === undefined && typeof meta.profile === 'string') {
    args.values.profile = meta.profile;
    applied.push(`--profile ${meta.profile}`);
  }
  if (args.values.revision === undefined && typeof meta.revision === 'string') {
    if (other === undefined) args.values.revision = meta.revision;
    else notApplied.push(`--revision ${meta.revision} (a version of "${meta.model}" only)`);
  }
  if (other === undefined) return undefined;
  return (
    `note: ${where} was trained on "${meta.model}"; labelling with "${other}" (--model)` +
    `${applied.length ? `, with the recorded ${applied.join(', ')} (give them to change them)` : ''}` +
    `${notApplied.length ? `; not applied: ${notApplied.join(', ')}` : ''}.`
  );
}

/**
 * The model classify predict labels with (useRecordedModel, then loaded; the note on stderr once it loaded): a
 * recorded --dim wider than that model is an error saying where the width comes from and the fix.
 */
export async function loadClassifierModel(args: Args, meta: ClassifierModelMeta, where: string): Promise<StaticModel> {
  const dimGiven = args.values.dim !== undefined;
  const note = useRecordedModel(args, meta, where);
  try {
    const model = await loadModelArg(args);
    if (note !== undefined) process.stderr.write(`${note}\n`);
    return model;
  } catch (e) {
    const wider = /^--dim \d+ is more than the model's (\d+) dimensions/.exec((e as Error).message);
    if (dimGiven || !wider || !(e instanceof StaticEmbedError)) throw e;
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `${where} was trained on ${meta.dim}-dimensional embeddings (recorded --dim ${meta.dim}), but ` +
        `"${args.string('model')}" has ${wider[1]} dimensions; label with a model of at least ${meta.dim} dimensions ` +
        `(${typeof meta.model === 'string' ? `the one it was trained on: "${meta.model}"` : 'the one it was trained on'}), ` +
        `or train the classifier again with this model.`,
      { cause: e },
    );
  }
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
      const now = defaultModelId();
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
