/**
 * A model folder's files over fetch: which layout it has, found with as few requests for absent files as possible
 * (each is a red 404 in a browser console), then its tokenizer and weights. See ARCHITECTURE.md ("runtime/web").
 */
import { StaticEmbedError } from '../../errors.js';
import { CONFIG_FILES, resolveLayout, type FileSource } from '../../formats/layouts.js';
import { parseJsonFile } from '../../model/files.js';
import { download, type DownloadContext } from './download.js';
import type { ModelCache } from './model-cache.js';

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** " (… answered HTML for a, b: an SPA fallback? …)" when the server sent a web page instead of a file, else "". */
export function htmlNote(ctx: DownloadContext, base: string): string {
  const html = ctx.htmlAnswers ?? [];
  if (html.length === 0) return '';
  return (
    ` For ${html.join(', ')} the server answered HTML: an SPA fallback? A dev server (Vite, webpack) answers missing ` +
    `files with index.html; put the model folder among its static files (e.g. a Vite app's public/) so that ` +
    `${base}${html[0]} is the file itself.`
  );
}

/** The StaticEmbedding module's folder that modules.json names, if it parses and names one. */
function moduleFolder(files: Map<string, Uint8Array>): string | undefined {
  const bytes = files.get('modules.json');
  if (!bytes) return undefined;
  try {
    const mods = JSON.parse(new TextDecoder().decode(bytes)) as Array<{ type?: unknown; path?: unknown }>;
    const m = Array.isArray(mods)
      ? mods.find((x) => typeof x?.type === 'string' && x.type.endsWith('StaticEmbedding'))
      : undefined;
    return typeof m?.path === 'string' ? m.path.replace(/^\.?\/?$/, '') : undefined;
  } catch {
    return undefined; // resolveLayout reports the broken file
  }
}

/**
 * The config files to ask for, in rounds: modules.json first (then config_sentence_transformers.json, plus config.json
 * when the module is the folder itself), else model2vec's config.json and the flat export's
 * config_sentence_transformers.json.
 */
async function fetchConfigs(get: (path: string) => Promise<void>, files: Map<string, Uint8Array>): Promise<void> {
  await get('modules.json');
  const folder = moduleFolder(files);
  const next =
    folder === undefined
      ? ['config.json', 'config_sentence_transformers.json']
      : ['config_sentence_transformers.json', ...(folder === '' ? ['config.json'] : [])];
  await Promise.all(next.map((p) => get(p)));
}

/**
 * Fetches the config files (those a listing names, else in rounds: fetchConfigs), resolves the layout (unlisted files
 * assumed to exist) and fetches its tokenizer and weights. A 404, or a web page instead of a file, marks it missing:
 * the next layout is tried.
 */
export async function collectFiles(
  ctx: DownloadContext,
  cache: ModelCache | undefined,
  base: string,
  listing: Set<string> | undefined,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const missing = new Set<string>();
  const get = async (path: string, listed = false): Promise<void> => {
    const url = base + encodePath(path);
    const b = await download(ctx, url, path);
    if (!b) {
      if (listed)
        throw new StaticEmbedError(
          'NOT_FOUND',
          `${url} answered ${ctx.htmlAnswers?.includes(path) ? 'HTML' : '404'}, though ${ctx.what} lists ${path}.`,
        );
      missing.add(path);
      return;
    }
    files.set(path, b);
    await cache?.put(url, b);
  };
  if (listing) await Promise.all(CONFIG_FILES.filter((f) => listing.has(f)).map((f) => get(f)));
  else await fetchConfigs(get, files);
  const src: FileSource = {
    has: (p) => files.has(p) || (listing ? listing.has(p) : !missing.has(p) && !CONFIG_FILES.includes(p)),
    readJson: (p) => parseJsonFile(files.get(p)!, p),
  };
  for (;;) {
    const layout = resolveOrExplain(src, ctx, base, files.size);
    const need = [layout.tokenizer, layout.weights].filter((p) => !files.has(p));
    if (need.length === 0) return files;
    // tokenizer.vocab.bin is not fetched: it is larger than the scan it saves is slow (see vocab-table.ts)
    await Promise.all(need.map((p) => get(p, listing !== undefined)));
  }
}

function resolveOrExplain(src: FileSource, ctx: DownloadContext, base: string, found: number) {
  try {
    return resolveLayout(src, ctx.what);
  } catch (e) {
    if (!(e instanceof StaticEmbedError) || e.code !== 'NO_LAYOUT') throw e;
    const note = htmlNote(ctx, base);
    if (found === 0)
      throw new StaticEmbedError(
        'NOT_FOUND',
        `Nothing found at ${base}: every file of every known model layout was missing (404${note ? ' or HTML' : ''}).` +
          (note || ' Check the URL of the model folder.'),
        { cause: e },
      );
    throw note ? new StaticEmbedError('NO_LAYOUT', e.message + note, { cause: e }) : e;
  }
}
