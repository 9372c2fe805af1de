/** A mock Hub on 127.0.0.1 serving the benchmark models under the seed's Hub ids (same shapes, seeded weights). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { MockHub } from './mock-hub.js';
import { BENCH_MODELS_DIR, gate } from './shared.js';

/** The seed's models on the Hub and the benchmark model folder that stands in for each. */
const SEED_MODELS: Record<string, string> = {
  'T3LS/static-similarity-mrl-multilingual-v1-32d-fp16': 'st-mbert-32d-f16',
  'sentence-transformers/static-similarity-mrl-multilingual-v1': 'st-mbert-1024d-f32',
};
export const SEED_IDS = Object.keys(SEED_MODELS);

export interface SeedHub {
  env: { HF_ENDPOINT: string };
  stop(): Promise<void>;
}

/** Every file under a folder, read on first request (the 1024-d table is 434 MB). */
function lazyFiles(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        let bytes: Uint8Array | undefined;
        Object.defineProperty(files, relative(dir, p), { enumerable: true, get: () => (bytes ??= readFileSync(p)) });
      }
    }
  };
  walk(dir);
  return files;
}

/** The mock Hub, or undefined when the benchmark models are not built. */
export async function startSeedHub(): Promise<SeedHub | undefined> {
  if (!Object.values(SEED_MODELS).every((m) => existsSync(join(BENCH_MODELS_DIR, m, 'modules.json')))) return undefined;
  const hub = new MockHub();
  for (const [id, folder] of Object.entries(SEED_MODELS))
    hub.repos.set(id, { commit: 'a'.repeat(40), files: lazyFiles(join(BENCH_MODELS_DIR, folder)) });
  const url = await hub.start();
  return { env: { HF_ENDPOINT: url }, stop: () => hub.stop() };
}

/** Skips a test that needs the seed's models (a failure under STATIC_EMBED_REQUIRE_SHARED=1, as in CI). */
export function skipWithoutSeedHub(t: TestContext): void {
  gate(
    t,
    `needs the benchmark models in ${BENCH_MODELS_DIR} to stand in for the seed's Hub models`,
    'STATIC_EMBED_REQUIRE_SHARED',
  );
}
