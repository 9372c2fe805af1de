/**
 * Buffered byte output for CLI commands: numbers and JSON written straight into a Uint8Array. A file is written
 * atomically (a temporary file renamed into place by close(); large arrays go out directly); stdout with back-pressure.
 */
import type { StaticEmbedError } from '../../errors.js';
import { AtomicFile } from '../../runtime/node/atomic-write.js';
import { checkFileOutput, type FileOutput } from './clobber.js';
import { writeError } from './output-path.js';

const encoder = new TextEncoder();
const DIRECT = 1 << 16;

export class Output {
  private buf = new Uint8Array(1 << 20);
  private len = 0;
  private readonly file: AtomicFile | undefined;
  private failed: Error | undefined;

  /** `spec`: the option that names the file, what it receives and the command's inputs, for the checks and messages. */
  constructor(
    readonly path: string | undefined,
    private readonly spec?: FileOutput,
  ) {
    if (path !== undefined && path !== '-') {
      if (spec) checkFileOutput(path, spec);
      try {
        this.file = AtomicFile.create(path);
      } catch (cause) {
        throw this.error(cause as Error);
      }
    } else {
      // worker threads' stdout is piped into this one, a listener each: one more is not a leak
      process.stdout.setMaxListeners(process.stdout.getMaxListeners() + 1);
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
    if (this.file !== undefined && b.length >= DIRECT) {
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

  private writeAll(b: Uint8Array, position?: number): void {
    try {
      this.file!.write(b, position);
    } catch (cause) {
      throw this.error(cause as Error);
    }
  }

  /** Rewrites bytes of a file already written (e.g. a header once a count is known); what is buffered goes first. */
  writeAt(b: Uint8Array, position: number): void {
    this.flushSync();
    this.writeAll(b, position);
  }

  private flushSync(): void {
    if (this.len === 0) return;
    this.writeAll(this.buf.subarray(0, this.len));
    this.len = 0;
  }

  /** Writes what is buffered; for stdout, waits when the pipe asks us to. */
  async flush(): Promise<void> {
    if (this.readerGone()) {
      this.len = 0;
      return;
    }
    if (this.failed) throw this.error(this.failed);
    if (this.file !== undefined) {
      this.flushSync();
      return;
    }
    if (this.len === 0) return;
    const chunk = this.buf.subarray(0, this.len);
    this.buf = new Uint8Array(this.buf.length);
    this.len = 0;
    // a full pipe drains; a failed write (a full disk) never does: its 'error' ends the wait
    if (!process.stdout.write(chunk))
      await new Promise<void>((resolve) => {
        const done = () => {
          process.stdout.off('drain', done).off('error', done);
          resolve();
        };
        process.stdout.once('drain', done).once('error', done);
      });
    if (this.failed && !this.readerGone()) throw this.error(this.failed);
  }

  /** Writes what is left; a file is then renamed into place (until then its path holds the old file, or nothing). */
  async close(): Promise<void> {
    await this.flush();
    if (this.file === undefined) {
      // a failed write to stdout is reported after it returns: wait for the last one (a full disk is an error)
      const err = await new Promise<Error | null | undefined>((resolve) => process.stdout.write('', resolve));
      await new Promise((resolve) => setImmediate(resolve)); // the stream's 'error' event comes after the callback
      this.failed ??= err ?? undefined;
      if (this.failed && !this.readerGone()) throw this.error(this.failed);
    }
    try {
      this.file?.commit();
    } catch (cause) {
      throw this.error(cause as Error);
    }
  }

  /** Drops a file output (its temporary file); the path keeps what it held. */
  abort(): void {
    this.file?.abort();
  }

  /** stdout's reader has gone away (EPIPE, e.g. `| head`): the rest of the output is dropped quietly, as console.log does. */
  private readerGone(): boolean {
    return (this.failed as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
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
