/** The tokenizers the golden files cover, and how to load each (shared ones from ../shared, ours from test/fixtures). */
import { readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { Tokenizer } from '../../src/index.js';
import { repoFile, sharedFile } from '../helpers/shared.js';

export interface GoldenManifest {
  tokenizers_version: string;
  corpus_sha256: string;
  corpus_lines: number;
  tokenizers: Record<string, { source: string; lines: number; total_ids: number; sha256?: string }>;
}

export const manifest = JSON.parse(readFileSync(repoFile('test/golden/manifest.json'), 'utf8')) as GoldenManifest;

/** Loads a golden tokenizer by name; undefined when it needs ../shared and that is missing (test skipped). */
export function loadGoldenTokenizer(t: TestContext, name: string): Tokenizer | undefined {
  const entry = manifest.tokenizers[name];
  if (!entry) throw new Error(`no golden tokenizer ${name}`);
  if (name === 'mbert-cased-strip') {
    const p = sharedFile(t, 'tokenizers/mbert-cased/tokenizer.json');
    if (!p) return undefined;
    const json = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    json.normalizer = {
      type: 'BertNormalizer',
      clean_text: false,
      handle_chinese_chars: false,
      strip_accents: true,
      lowercase: false,
    };
    return Tokenizer.fromJSON(json);
  }
  if (entry.source.startsWith('../shared/')) {
    const p = sharedFile(t, entry.source.slice('../shared/'.length));
    return p ? Tokenizer.fromJSON(readFileSync(p)) : undefined;
  }
  return Tokenizer.fromJSON(readFileSync(repoFile(entry.source)));
}
