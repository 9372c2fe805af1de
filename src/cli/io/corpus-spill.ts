/** A corpus embedded once and kept on disk (a private temporary folder) for commands that scan it many times: its rows
 * are read back in chunks, and a row's text and line number on demand; memory stays O(chunk). */
import { closeSync, mkdtempSync, openSync, readSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix } from '../../math/matrix.js';
import { discardTemp, trackTemp } from '../../runtime/node/atomic-write.js';

const enc = new TextEncoder(),
  dec = new TextDecoder();

/** An append-only file of the spill. */
class SpillFile {
  readonly fd: number;
  size = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w+');
  }
  append(b: Uint8Array): void {
    for (let done = 0; done < b.length;) done += writeSync(this.fd, b, done, b.length - done, this.size + done);
    this.size += b.length;
  }
  read(into: Uint8Array, position: number): void {
    for (let done = 0; done < into.length;) {
      const n = readSync(this.fd, into, done, into.length - done, position + done);
      if (n <= 0) throw new Error(`corpus spill: short read at ${position + done}`);
      done += n;
    }
  }
}

export class CorpusSpill {
  private readonly dir: string;
  private readonly vectors: SpillFile;
  private readonly texts: SpillFile;
  /** per row: the start of its text in `texts` and its 0-based line in the input (float64 pairs) */
  private readonly index: SpillFile;
  rows = 0;

  constructor(readonly dim: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'static-embed-corpus-'));
    trackTemp(this.dir);
    this.vectors = new SpillFile(join(this.dir, 'vectors.f32'));
    this.texts = new SpillFile(join(this.dir, 'texts.utf8'));
    this.index = new SpillFile(join(this.dir, 'index.f64'));
  }

  /** Appends rows: their embeddings, texts and 0-based input lines. */
  add(e: Matrix, texts: readonly string[], lines: readonly number[]): void {
    this.vectors.append(new Uint8Array(e.data.buffer, e.data.byteOffset, e.rows * e.cols * 4));
    const idx = new Float64Array(2 * texts.length);
    texts.forEach((t, i) => {
      idx[2 * i] = this.texts.size;
      idx[2 * i + 1] = lines[i]!;
      this.texts.append(enc.encode(t));
    });
    this.index.append(new Uint8Array(idx.buffer));
    this.rows += texts.length;
  }

  /** The rows in chunks of at most `rows`, as matrices over one reused buffer (each valid until the next). */
  *chunks(rows: number): Generator<Matrix> {
    const buf = new Float32Array(rows * this.dim);
    for (let r0 = 0; r0 < this.rows; r0 += rows) {
      const n = Math.min(rows, this.rows - r0);
      const view = buf.subarray(0, n * this.dim);
      this.vectors.read(new Uint8Array(view.buffer, 0, view.byteLength), r0 * this.dim * 4);
      yield new Matrix(n, this.dim, view);
    }
  }

  /** A row's text and 0-based input line. */
  row(id: number): { text: string; line: number } {
    const idx = new Float64Array(3);
    const pair = id + 1 < this.rows ? 3 : 2;
    this.index.read(new Uint8Array(idx.buffer, 0, pair * 8), id * 16);
    const start = idx[0]!,
      end = pair === 3 ? idx[2]! : this.texts.size;
    const bytes = new Uint8Array(end - start);
    if (bytes.length > 0) this.texts.read(bytes, start);
    return { text: dec.decode(bytes), line: idx[1]! };
  }

  /** Removes the files. */
  close(): void {
    for (const f of [this.vectors, this.texts, this.index]) closeSync(f.fd);
    discardTemp(this.dir);
  }
}
