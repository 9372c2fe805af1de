// npm semantic-chunking's chunkit on one document with its default model (it loads the model at run time)
import { readFileSync } from 'node:fs';
import { chunkit } from 'semantic-chunking';

const text = readFileSync(process.argv[2], 'utf8');
const t0 = performance.now();
const chunks = await chunkit([{ document_name: 'doc', document_text: text }], {});
console.log(`${chunks.length} chunks in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
