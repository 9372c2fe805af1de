/**
 * StaticModel.fromPretrained in Node: a local folder, a Hub model id through the local Hugging Face cache, or an
 * http(s) URL of a model folder (through the fetch-based loader, without a cache).
 */
import { existsSync } from 'node:fs';
import { StaticEmbedError } from '../../errors.js';
import type { HubOptions } from '../../model/hub-options.js';
import { fetchPretrained } from '../web/pretrained.js';
import { isDirectory, loadModelFolder } from './fs.js';
import { recoverInterruptedSwap } from './atomic-write.js';
import type { LoadOptions, StaticModel } from '../../model/static-model.js';

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

export async function loadPretrained(idOrPath: string, options: LoadOptions & HubOptions = {}): Promise<StaticModel> {
  if (typeof idOrPath !== 'string' || idOrPath === '')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      'fromPretrained needs a model folder or a Hub id such as "sentence-transformers/static-similarity-mrl-multilingual-v1".',
    );
  if (/^https?:\/\//i.test(idOrPath)) {
    // the environment's timeouts and cap, as explicit options of the fetch-based loader (which reads no environment)
    const { nodeDownloadLimits } = await import('./hub.js');
    const l = nodeDownloadLimits(options);
    const limits = {
      etagTimeout: l.etagTimeoutMs / 1000,
      downloadTimeout: l.downloadTimeoutMs / 1000,
      // held in memory: the memory cap (the set cap, else 512 MiB)
      maxDownloadBytes: l.maxMemoryBytes,
    };
    return fetchPretrained(idOrPath, { ...options, ...limits });
  }
  // (a folder whose replacement was killed half way is put back first: atomic-write.ts)
  if (isDirectory(idOrPath) || recoverInterruptedSwap(idOrPath)) return loadModelFolder(idOrPath, options);
  if (existsSync(idOrPath))
    throw new StaticEmbedError('NOT_FOUND', `${idOrPath} is a file; give the model folder that contains it.`);
  if (!HUB_ID.test(idOrPath))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `No folder at ${idOrPath}, and it is not a Hub id of the form "owner/name".`,
    );
  // the Hub cache's code (and node:crypto) only when a Hub id is given
  const { downloadModel } = await import('./hub.js');
  const dir = await downloadModel(idOrPath, options);
  return loadModelFolder(dir, options);
}
