// Bundles the CLI (dist/src/cli/main.js, tsc's output) into dist/cli/ with esbuild, so that a command starts by
// loading a few files instead of resolving and compiling ~200 modules; bin/static-embed.js prefers it when it is
// newer than tsc's output. Part of `npm run build`. Each module keeps its own import.meta.url (its file in
// dist/src), so worker scripts and the embedded model are found exactly as from the unbundled files.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');

/** import.meta.url of a bundled module: the URL of its own file, from the bundle's. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      const rel = relative(outdir, args.path).split(sep).join('/');
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: join(root, 'dist', 'src', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // every chunk beside main.js: the URLs of the plugin below are relative to this folder
  chunkNames: '[name]-[hash]',
  legalComments: 'none',
  // less source to read and parse at every start; names are kept (errors and stack traces read the same)
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [ownUrl],
});
