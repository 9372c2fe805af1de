/** The tiny model (tiny-model.ts) written as a model folder on disk, for tests of the CLI. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tinyModelFiles } from './tiny-model.js';

/** Writes the tiny model's files into DIR (created) and returns DIR. */
export function writeTinyModelFolder(dir: string): string {
  for (const [p, b] of Object.entries(tinyModelFiles())) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
  return dir;
}
