#!/bin/sh
//bin/true; exec env MALLOC_ARENA_MAX=2 UV_THREADPOOL_SIZE=2 node --max-semi-space-size=1 --single-threaded-gc --v8-pool-size=1 "$0" "$@"
// ^ POSIX sh runs the line above (`//bin/true` is /bin/true, then exec node with the CLI's runtime flags and memory
//   settings, without `env -S`, which BusyBox/Alpine lack); for JavaScript it is a comment.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`static-embed: internal error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
