// Writes tokenizer.vocab.bin beside each tokenizer.json given: the fast path's vocabulary tables that make loading
// fast (the library otherwise keeps them in the user's cache after a first load; see docs/models.md).
// Rerun whenever tokenizer.json changes: node scripts/make-vocab-table.mjs FILE…
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/make-vocab-table.mjs path/to/tokenizer.json …');
  process.exit(2);
}
const { buildVocabTable } = await import(join(root, 'dist/src/tokenizer/vocab-table-build.js')).catch((e) => {
  console.error(`make-vocab-table: ${e.message}\nBuild first: npm run build`);
  process.exit(2);
});
for (const file of files) {
  const table = buildVocabTable(readFileSync(file));
  if (!table) {
    console.error(`make-vocab-table: ${file} has no "model.vocab" object (not a WordPiece/BPE-style vocabulary)`);
    process.exit(2);
  }
  const out = join(dirname(file), 'tokenizer.vocab.bin');
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, table);
  renameSync(tmp, out);
  console.log(`${out}: ${table.length.toLocaleString('en-US')} bytes`);
}
