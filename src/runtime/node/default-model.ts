/** The embedded default model (Node): the folder shipped in the package, used whenever no model is named. */
import { fileURLToPath } from 'node:url';
import type { LoadOptions } from '../../model/static-model.js';
import { loadModelFolder, type StaticModel } from './api.js';
import { modelCardBody } from './fs.js';

/** Absolute path of `models/default` in the installed package (this file is dist/src/runtime/node/default-model.js). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../../models/default', import.meta.url));

/**
 * The name that stands for the embedded default model, whatever its version: a LanceDB table records it (so a newer
 * default model is recognised by its probe, not refused by a path), and every CLI command's --model accepts it.
 */
export const DEFAULT_MODEL_NAME = 'static-embed-default';

let id: string | undefined;

/**
 * The embedded model's own id, its card's title (e.g. static-embed-default-v2): what evaluation results, classifiers
 * and the server name it by. It names the embedded model too (isDefaultModelName), so every name static-embed writes
 * can be given back.
 */
export function defaultModelId(): string {
  if (id === undefined) {
    const title = modelCardBody(DEFAULT_MODEL_PATH).title;
    id = title !== undefined && /^[\w.-]+$/.test(title) ? title : DEFAULT_MODEL_NAME;
  }
  return id;
}

/** Whether `name` names the embedded default model: "static-embed-default" or its id (defaultModelId). */
export const isDefaultModelName = (name: string): boolean => name === DEFAULT_MODEL_NAME || name === defaultModelId();

/** Loads the embedded default model (static-embed-default-v2: 88k multilingual WordPiece vocabulary, 256 Matryoshka dims, int8). */
export async function loadDefaultModel(options: LoadOptions = {}): Promise<StaticModel> {
  return loadModelFolder(DEFAULT_MODEL_PATH, options);
}
