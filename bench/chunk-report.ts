/** The "chunk" section of bench/RESULTS.md, from bench/chunk.ts's measurements. */
import type { BenchDoc } from './chunk-data.js';
import { writeSection } from './lib.js';

export interface Row {
  name: string;
  starts: number[][];
  s: number;
}

export interface ChunkReport {
  rows: Row[];
  docs: BenchDoc[];
  bytes: number;
  sentences: number;
  f: (starts: number[][], source?: BenchDoc['source']) => number;
  machine: string;
  load: string;
  runs: number;
  maxTokens: number;
  chonkieNote: string;
  npmNote: string;
}

export function chunkSection(r: ChunkReport): void {
  const langs = (src: BenchDoc['source']) => [...new Set(r.docs.filter((d) => d.source === src).map((d) => d.lang))];
  const ours = r.rows[0]!;
  const lines = r.rows.map((row) => {
    const mbs = r.bytes / 1e6 / row.s;
    return (
      `| ${row.name} | ${r.f(row.starts).toFixed(3)} | ${r.f(row.starts, 'corpus').toFixed(3)} | ` +
      `${r.f(row.starts, 'stsb').toFixed(3)} | ${Math.round(r.sentences / row.s).toLocaleString('en-US')} | ` +
      `${mbs.toFixed(2)} | ${(row.s / ours.s).toFixed(1)}× |`
    );
  });
  const seams = r.docs.reduce((a, d) => a + d.seams.length, 0);
  const body = `## Chunking: boundaries where the topic changes, and speed on one core

Date: ${new Date().toISOString().slice(0, 10)}. Machine: ${r.machine}; ${r.load}. Run: \`node dist/bench/chunk.js\`
(the process and the Python peer pinned to one core with taskset; medians of ${r.runs} passes).

Documents: ${r.docs.length} synthetic documents (${(r.bytes / 1e6).toFixed(2)} MB, ${r.sentences.toLocaleString('en-US')} sentences,
${seams} seams), each 3–8 passages on different topics in one language: multi-sentence package descriptions and manual
sections of the benchmark corpus (${langs('corpus').join(', ')}) and STSb sentences grouped by source (pairs scored ≥ 3.5
sharing a sentence; ${langs('stsb').join(', ')}). The seams are the truth; boundary F1 counts a chunk start within one
sentence of a seam as a hit (one hit per seam). Every chunker at most ${r.maxTokens} tokens per chunk, the embedded
default model (Chonkie: its model2vec copy written by \`static-embed convert --layout model2vec\`, run by model2vec).

| chunker | boundary F1 | corpus | STSb | sentences/s | MB/s | time vs static-embed |
|---|---|---|---|---|---|---|
${lines.join('\n')}

${r.chonkieNote ? `Chonkie: ${r.chonkieNote}\n\n` : ''}npm \`semantic-chunking\` (its default model): ${r.npmNote}
`;
  writeSection('chunk', body);
}
