/**
 * Buffered byte output for CLI commands: numbers and JSON written straight into a Uint8Array. Files are
 * written with synchronous writes (large arrays go out directly, without a copy); stdout with back-pressure.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { StaticEmbedError } from '../../errors.js';
import { checkOutputFile, writeError, type OutputSpec } from './output-path.js';

const encoder = new TextEncoder();
const DIRECT = 1 << 16;

export class Output {
  private buf = new Uint8Array(1 << 20);
  private len = 0;
  private readonly fd: number | undefined;
  private failed: Error | undefined;

  /** `spec`: the option that names the file and what it receives, for the checks and error messages. */
  constructor(
    readonly path: string | undefined,
    private readonly spec?: OutputSpec & { example: string },
  ) {
    if (path !== undefined && path !== '-') {
      if (spec) checkOutputFile(path, spec);
      try {
        this.fd = openSync(path, 'w');
      } catch (cause) {
        throw this.error(cause as Error);
      }
    } else {
      process.stdout.on('error', (e: Error) => {
        this.failed = e;
      });
    }
  }

  ascii(s: string): void {
    if (this.len + s.length > this.buf.length) this.grow(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  text(s: string): void {
    this.bytes(encoder.encode(s));
  }

  /** Appends bytes; large ones (files) are written directly after what is buffered. */
  bytes(b: Uint8Array): void {
    if (this.fd !== undefined && b.length >= DIRECT) {
      this.flushSync();
      this.writeAll(b);
      return;
    }
    if (this.len + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A non-negative integer in decimal. */
  uint(n: number): void {
    if (this.len + 11 > this.buf.length) this.grow(11);
    const buf = this.buf;
    if (n < 10) {
      buf[this.len++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.len + digits;
    this.len = p;
    for (let x = n; p > this.len - digits; x = Math.floor(x / 10)) buf[--p] = 48 + (x % 10);
  }

  get pending(): number {
    return this.len;
  }

  private writeAll(b: Uint8Array): void {
    try {
      for (let done = 0; done < b.length;) done += writeSync(this.fd!, b, done, b.length - done);
    } catch (cause) {
      throw this.error(cause as Error);
    }
  }

  private flushSync(): void {
    if (this.len === 0) return;
    this.writeAll(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  /** Writes what is buffered; for stdout, waits when the pipe asks us to. */
  async flush(): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    if (this.fd !== undefined) {
      this.flushSync();
      return;
    }
    if (this.len === 0) return;
    const chunk = this.buf.subarray(0, this.len);
    this.buf = new Uint8Array(this.buf.length);
    this.len = 0;
    if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
  }

  private grow(extra: number): void {
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  private error(e: Error): StaticEmbedError {
    const file = this.path !== undefined && this.path !== '-';
    return writeError(file ? this.path! : 'stdout', file ? this.spec?.option : undefined, e);
  }
}
