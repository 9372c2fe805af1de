/** A line to standard output by one synchronous write to fd 1, for commands whose whole answer is a few lines. */
import { writeSync } from 'node:fs';
import { reportError } from '../cli-errors.js';
import { writeError } from './output-path.js';

const encoder = new TextEncoder();

/**
 * Writes `text` and a newline to fd 1 without creating `process.stdout` (its streams cost ≈7 ms per start). EPIPE
 * ends quietly, as console.log does; EAGAIN (a full non-blocking pipe) hands the rest to `process.stdout`; any
 * other failure (a full disk) is an IO_ERROR.
 */
export function printLine(text: string): void {
  const bytes = encoder.encode(text + '\n');
  let at = 0;
  try {
    while (at < bytes.length) at += writeSync(1, bytes, at);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN') {
      // the rest goes out asynchronously: a reader that goes away meanwhile (EPIPE) ends it quietly
      process.stdout.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') process.exitCode = reportError('', writeError('stdout', undefined, err));
      });
      process.stdout.write(bytes.subarray(at));
    } else if (code !== 'EPIPE') throw writeError('stdout', undefined, e);
  }
}
