#!/bin/sh
//bin/true; exec env MALLOC_ARENA_MAX=2 UV_THREADPOOL_SIZE=2 node --max-semi-space-size=1 --single-threaded-gc --v8-pool-size=1 "$0" "$@"
// ^ POSIX sh runs the line above (`//bin/true` is /bin/true, then exec node with the CLI's runtime flags and memory
//   settings, without `env -S`, which BusyBox/Alpine lack); for JavaScript it is a comment.
const entry = new URL('../dist/src/cli/main.js', import.meta.url);

import(entry.href)
  .then(
    async ({ main }) => {
      process.exitCode = await main(process.argv.slice(2));
    },
    (e) => {
      if (e?.code === 'ERR_MODULE_NOT_FOUND' && e.url === entry.href) {
        // a checkout before its first build (the published package always has dist/)
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
