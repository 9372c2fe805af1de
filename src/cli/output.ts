/**
 * Buffered byte output for CLI commands: numbers and JSON written straight into a Uint8Array, flushed to a
 * file or stdout in large writes (with back-pressure), so output never dominates the run time.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { StaticEmbedError } from '../errors.js';

const encoder = new TextEncoder();

export class Output {
  private buf = new Uint8Array(1 << 20);
  private len = 0;
  private readonly stream: WriteStream | NodeJS.WriteStream;
  private failed: Error | undefined;

  constructor(readonly path: string | undefined) {
    this.stream = path === undefined || path === '-' ? process.stdout : createWriteStream(path);
    this.stream.on('error', (e: Error) => { this.failed = e; });
  }

  ascii(s: string): void {
    if (this.len + s.length > this.buf.length) this.grow(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  text(s: string): void {
    const b = encoder.encode(s);
    this.bytes(b);
  }

  bytes(b: Uint8Array): void {
    if (this.len + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A non-negative integer in decimal. */
  uint(n: number): void {
    if (this.len + 11 > this.buf.length) this.grow(11);
    const buf = this.buf;
    if (n < 10) { buf[this.len++] = 48 + n; return; }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.len + digits;
    this.len = p;
    for (let x = n; p > this.len - digits; x = Math.floor(x / 10)) buf[--p] = 48 + (x % 10);
  }

  get pending(): number {
    return this.len;
  }

  /** Writes what is buffered; waits for the stream when it asks us to. */
  async flush(): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    if (this.len === 0) return;
    const chunk = this.buf.slice(0, this.len);
    this.len = 0;
    const ok = this.stream.write(chunk);
    if (!ok) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.stream === process.stdout) return;
    await new Promise<void>((resolve, reject) => (this.stream as WriteStream).end((e?: Error | null) => (e ? reject(this.error(e)) : resolve())));
    if (this.failed) throw this.error(this.failed);
  }

  private grow(extra: number): void {
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  private error(e: Error): StaticEmbedError {
    return new StaticEmbedError('IO_ERROR', `Cannot write ${this.path ?? 'stdout'}: ${e.message}.`, { cause: e });
  }
}
