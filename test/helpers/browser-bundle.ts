/**
 * A small browser app that imports `static-embed` (a model from bytes, encode, similarity, search), bundled with
 * esbuild for the browser with no externals: what a web developer's bundler does. Used by the bundle test and by
 * bench/bundle.ts (which records its size in bench/RESULTS.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Message, type Metafile } from 'esbuild';
import { installedPackage } from './installed-package.js';

export const BROWSER_APP = `
import { StaticModel, semanticSearch } from 'static-embed';

export function run(files, texts) {
  const model = StaticModel.fromBytes(files);
  const emb = model.encode(texts);
  const hits = semanticSearch(emb, emb, { topK: 2 });
  return { dim: model.dim, rows: emb.rows, first: Array.from(emb.row(0)), sim: model.similarity(emb, emb).get(0, 1), hits };
}
`;

export interface BrowserBundle {
  code: string;
  warnings: Message[];
  metafile: Metafile;
  /** the consumer project folder (app.js, node_modules/static-embed) */
  dir: string;
}

export async function bundleBrowserApp(minify = true): Promise<BrowserBundle> {
  const dir = installedPackage('bundle');
  writeFileSync(join(dir, 'app.js'), BROWSER_APP);
  const r = await build({
    entryPoints: [join(dir, 'app.js')],
    absWorkingDir: dir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: r.outputFiles[0]!.text, warnings: r.warnings, metafile: r.metafile, dir };
}
