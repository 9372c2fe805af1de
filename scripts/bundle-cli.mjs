// Bundles the CLI (dist/src/cli/main.js, tsc's output) into dist/cli/ with esbuild, so that a command starts by
// loading a few files instead of resolving and compiling ~200 modules; bin/static-embed.js prefers it when it is
// newer than tsc's output. Part of `npm run build`. Each module keeps its own import.meta.url (its file in
// dist/src), so worker scripts and the embedded model are found exactly as from the unbundled files.
import { build } from 'esbuild';
import { readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
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

/**
 * Node's built-in modules without their ESM facades: an `import … from 'node:fs'` makes Node build a facade that
 * reads every export, and fs's lazy getters then load the whole streams stack (≈8 ms at every start). Each
 * `node:*` import becomes a small module that takes the names the code imports from `process.getBuiltinModule`
 * (Node ≥ 20.16; older Node imports the module itself). A name the code uses but the module lacks fails the build.
 */
const builtinsWithoutFacades = {
  name: 'builtins-without-facades',
  setup(b) {
    const used = new Map();
    b.onStart(async () => {
      const files = (await readdir(join(root, 'dist', 'src'), { recursive: true })).filter((f) => f.endsWith('.js'));
      for (const f of files) {
        const source = await readFile(join(root, 'dist', 'src', f), 'utf8');
        for (const m of source.matchAll(/import\s+([^'";]*?)\s+from\s+'(node:[a-z_/]+)'/g)) {
          const names = used.get(m[2]) ?? new Set();
          used.set(m[2], names);
          const [, def, braced] = /^([\w$*][^{,]*)?,?\s*(?:\{([^}]*)\})?$/.exec(m[1]) ?? [];
          if (def) names.add(def.startsWith('*') ? '*' : 'default');
          for (const n of (braced ?? '').split(',')) if (n.trim()) names.add(n.trim().split(/\s+as\s+/)[0]);
        }
      }
    });
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === 'builtin' || args.kind === 'dynamic-import'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const names = used.get(args.path) ?? new Set(['*']);
      const real = createRequire(import.meta.url)(args.path);
      const all = names.has('*') ? Object.keys(real).filter((k) => !Object.getOwnPropertyDescriptor(real, k)?.get) : [];
      const named = [...new Set([...names, ...all])].filter((n) => n !== '*' && n !== 'default');
      const lines = [
        `const m = process.getBuiltinModule?.(${JSON.stringify(args.path)}) ?? (await import(${JSON.stringify(args.path)})).default;`,
        'export default m;',
        ...named.map((n) => `export const ${n} = m.${n};`),
      ];
      return { contents: lines.join('\n'), loader: 'js' };
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
  plugins: [ownUrl, builtinsWithoutFacades],
});
