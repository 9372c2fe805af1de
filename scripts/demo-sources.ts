/** What the demo's screenshot depends on: its sources and the model it shows, hashed (recorded beside the image). */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The record beside the screenshot: each input file → its sha256, as of the last `npm run demo:screenshot`. */
export const SOURCES_RECORD = join('examples', 'browser', 'screenshot.sources.json');

/** The files whose change makes the screenshot stale, relative to the repository. */
export function demoInputs(root: string): string[] {
  const page = readdirSync(join(root, 'examples', 'browser'))
    .filter((f) => /\.(ts|html|css)$/.test(f))
    .map((f) => `examples/browser/${f}`);
  const model = ['0_StaticEmbedding/model.safetensors', '0_StaticEmbedding/tokenizer.json', 'modules.json'].map(
    (f) => `models/default/${f}`,
  );
  return [...page, 'scripts/demo.ts', 'scripts/demo-screenshot.ts', ...model].sort();
}

/** sha256 of each input, keyed by its path. */
export function demoHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of demoInputs(root))
    out[f] = createHash('sha256')
      .update(readFileSync(join(root, f)))
      .digest('hex');
  return out;
}
