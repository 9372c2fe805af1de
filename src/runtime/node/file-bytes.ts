/** Files read straight into their destination (Node): on demand by byte range, or whole into shareable memory. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { StaticEmbedError } from '../../errors.js';
import type { ByteSource } from '../../formats/safetensors.js';
import { shareableBuffer } from '../../kernels/shareable.js';

/** A file read on demand: tensor data goes straight from disk to its destination, never whole into memory. */
export class FileByteSource implements ByteSource {
  readonly size: number;
  private constructor(
    private readonly fd: number,
    readonly path: string,
  ) {
    this.size = fstatSync(fd).size;
  }
  /**
   * `regularOnly` (a cache's entries): a symbolic link is not followed and only a regular file is read; a FIFO or
   * device is refused without blocking (it would never end, or never start).
   */
  static open(path: string, options: { regularOnly?: boolean } = {}): FileByteSource {
    try {
      if (!options.regularOnly) return new FileByteSource(openSync(path, 'r'), path);
      const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
      if (!fstatSync(fd).isFile()) {
        closeSync(fd);
        throw new Error('not a regular file');
      }
      return new FileByteSource(fd, path);
    } catch (cause) {
      throw new StaticEmbedError('IO_ERROR', `Cannot open ${path}: ${(cause as Error).message}.`, { cause });
    }
  }
  read(offset: number, length: number): Uint8Array {
    const b = new Uint8Array(length);
    this.readInto(offset, b);
    return b;
  }
  readInto(offset: number, dest: Uint8Array): void {
    let done = 0;
    while (done < dest.length) {
      const n = readSync(this.fd, dest, done, Math.min(dest.length - done, 1 << 30), offset + done);
      if (n <= 0)
        throw new StaticEmbedError(
          'INVALID_SAFETENSORS',
          `${this.path} has ${fstatSync(this.fd).size} bytes, but byte ${offset + dest.length} was expected: the ` +
            'file is truncated (or was changed after loading; load the model again).',
        );
      done += n;
    }
  }
  private closed = false;
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** A file's bytes read straight into shareable memory (worker threads then get them without a copy). */
export function readShareable(path: string, options: { regularOnly?: boolean; maxBytes?: number } = {}): Uint8Array {
  const file = FileByteSource.open(path, options);
  try {
    if (options.maxBytes !== undefined && file.size > options.maxBytes)
      throw new StaticEmbedError(
        'IO_ERROR',
        `${path} has ${file.size} bytes, more than the ${options.maxBytes} expected.`,
      );
    const bytes = new Uint8Array(shareableBuffer(file.size));
    file.readInto(0, bytes);
    return bytes;
  } catch (cause) {
    if (cause instanceof StaticEmbedError) throw cause;
    throw new StaticEmbedError('IO_ERROR', `Cannot read ${path}: ${(cause as Error).message}.`, { cause });
  } finally {
    file.close();
  }
}
