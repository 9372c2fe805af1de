#!/bin/sh
//bin/true; MALLOC_ARENA_MAX=2 UV_THREADPOOL_SIZE=2 exec node --max-semi-space-size=1 --single-threaded-gc --v8-pool-size=1 "$0" "$@"
// ^ POSIX sh runs the line above (`//bin/true` is /bin/true, then node replaces the shell with the CLI's runtime flags,
//   and the assignments before `exec` are its memory settings: no `env`, so no `env -S`, which BusyBox/Alpine lack); for
//   JavaScript it is a comment.
// Built-ins by process.getBuiltinModule (Node ≥ 20.16): an `import` of node:fs would build its ESM facade, which
// loads the whole streams stack (≈8 ms of every start).
const builtin = async (name) => process.getBuiltinModule?.(name) ?? import(name);
const { statSync } = await builtin('node:fs');
const { fileURLToPath } = await builtin('node:url');

const unbundled = new URL('../dist/src/cli/main.js', import.meta.url);
const bundle = new URL('../dist/cli/main.js', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const mtime = (u) => statSync(u, { throwIfNoEntry: false })?.mtimeMs;

/** The CLI in one bundle (npm run build) unless tsc rebuilt dist/src after it (then that is newer: use it). */
const entry = (mtime(bundle) ?? -1) >= (mtime(unbundled) ?? 0) ? bundle : unbundled;

/** A source checkout (the published package always ships dist/) builds itself on first use: `npm ci` then any command works. */
async function buildCheckout() {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  if (mtime(new URL('../tsconfig.json', import.meta.url)) === undefined || mtime(tsc) === undefined) return false;
  console.error(
    'static-embed: first run in a source checkout: building dist/ once (tsc and the CLI bundle; about a minute) …',
  );
  const { spawnSync } = await import('node:child_process');
  const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (run([tsc, '-p', 'tsconfig.json']).status !== 0) return false;
  // the one-file CLI (faster starts) from the next run on; without it (no esbuild) dist/src serves
  const bundler = fileURLToPath(new URL('../scripts/bundle-cli.mjs', import.meta.url));
  if (mtime(new URL('../node_modules/esbuild/package.json', import.meta.url)) !== undefined) run([bundler]);
  return true;
}

const notBuilt = (e) => e?.code === 'ERR_MODULE_NOT_FOUND' && e.url === entry.href;

import(entry.href)
  .catch(async (e) => {
    if (notBuilt(e) && (await buildCheckout())) return import(entry.href);
    throw e;
  })
  .then(
    async ({ main }) => {
      process.exitCode = await main(process.argv.slice(2));
    },
    (e) => {
      if (notBuilt(e)) {
        console.error(
          'static-embed: error [NOT_FOUND]: dist/ is missing: this source checkout is not built yet. Run `npm run build` (or `npm test`) first.',
        );
        process.exitCode = 2;
      } else throw e;
    },
  )
  .catch((e) => {
    console.error(`static-embed: internal error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
