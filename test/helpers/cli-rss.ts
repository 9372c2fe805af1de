/** runCli with the child's peak RSS (bytes) and the wall time (ms), for tests that bound both. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, type CliResult } from './cli.js';
import { repoFile } from './shared.js';

export interface MeasuredCli extends CliResult {
  peakRss: number;
  ms: number;
  /** Date.now() when the child had exited */
  endedAt: number;
}

export async function runCliMeasured(args: string[], env: Record<string, string> = {}): Promise<MeasuredCli> {
  const dir = mkdtempSync(join(tmpdir(), 'se-rss-'));
  const file = join(dir, 'rss');
  const preload = pathToFileURL(repoFile('dist/test/helpers/rss-preload.js')).href;
  const t0 = Date.now();
  const r = await runCli(args, undefined, {
    ...env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
    STATIC_EMBED_TEST_RSS_FILE: file,
  });
  const endedAt = Date.now();
  const ms = endedAt - t0;
  let peakRss = NaN;
  try {
    peakRss = Number(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ...r, peakRss, ms, endedAt };
}
