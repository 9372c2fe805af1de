/**
 * The embedded default model in browsers, Web Workers and edge runtimes, found by URL.
 * See ARCHITECTURE.md, "Entry points and runtimes".
 */
import type { HubOptions } from '../../model/hub-options.js';
import type { LoadOptions } from '../../model/static-model.js';
import { StaticModel } from './api.js';

/** This file is dist/src/runtime/web/default-model.js; the package root is four levels up. */
const FROM_HERE = '../../../../models/default/';

/** The URL of the default model's folder next to this module (see above for bundlers). */
export function defaultModelUrl(): string {
  return new URL(FROM_HERE, import.meta.url).href;
}

/** Loads the embedded default model over fetch (cached in Cache Storage like any model). */
export function loadDefaultModel(
  options: LoadOptions & HubOptions & { url?: string | URL } = {},
): Promise<StaticModel> {
  const { url, ...rest } = options;
  return StaticModel.fromPretrained(url instanceof URL ? url.href : (url ?? defaultModelUrl()), rest);
}
