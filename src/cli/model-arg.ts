/** The --model option of CLI commands: a folder or Hub id, with the load options every command shares. */
import { StaticEmbedError } from '../errors.js';
import type { LoadOptions } from '../model/static-model.js';
import { StaticModel } from '../model/static-model.js';
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
  '--model ID_OR_PATH   a model folder (sentence-transformers or model2vec layout) or a Hub id; default: the embedded model (models/default)',
  '--dim N              keep the first N dimensions (Matryoshka truncation at load)',
  "--normalize / --no-normalize   override the model's normalization",
  '--profile NAME       sentence-transformers | model2vec encoding rules (default: from the layout)',
  '--revision REV       Hub revision (branch, tag or commit)',
];

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
  const model = await StaticModel.fromPretrained(args.string('model'), options);
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
