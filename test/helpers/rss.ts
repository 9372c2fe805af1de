/** runCli with the child's peak resident memory: a preloaded hook writes process.resourceUsage().maxRSS at exit. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CliResult } from './cli.js';
import { repoFile } from './shared.js';

let hook: string | undefined;

function hookFile(): string {
  if (hook) return hook;
  const dir = mkdtempSync(join(tmpdir(), 'se-rss-'));
  hook = join(dir, 'rss-hook.mjs');
  writeFileSync(
    hook,
    "import { writeFileSync } from 'node:fs';\n" +
      "process.on('exit', () => { if (process.env.SE_RSS_FILE) writeFileSync(process.env.SE_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n",
  );
  return hook;
}

/**
 * Runs bin/static-embed.js (with the bin's memory flags) and reports its peak RSS in MB; stdout is kept only up to
 * `keep` characters (its full length in `stdoutBytes`), so large outputs do not fill the test's memory.
 */
export function runCliRss(args: string[], keep = 1 << 20): Promise<CliResult & { rssMB: number; stdoutBytes: number }> {
  const out = join(mkdtempSync(join(tmpdir(), 'se-rss-out-')), 'rss');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=1',
        '--single-threaded-gc',
        '--v8-pool-size=1',
        '--import',
        pathToFileURL(hookFile()).href,
        repoFile('bin/static-embed.js'),
        ...args,
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, SE_RSS_FILE: out, MALLOC_ARENA_MAX: '2', UV_THREADPOOL_SIZE: '2' },
      },
    );
    let stdout = '',
      stderr = '',
      stdoutBytes = 0;
    child.stdout.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
      if (stdout.length < keep) stdout += d.toString('utf8');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      let rssMB = NaN;
      try {
        rssMB = Number(readFileSync(out, 'utf8')) / 1024;
      } catch {
        // the hook did not run (the process was killed)
      }
      resolve({ code: code ?? -1, stdout, stderr, rssMB, stdoutBytes });
    });
    child.stdin.end();
  });
}
