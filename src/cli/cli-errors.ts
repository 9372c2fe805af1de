/**
 * How the CLI reports failures: one line `static-embed CMD: error [CODE]: message`, exit code 2.
 * See ARCHITECTURE.md, "CLI rules".
 */
import { StaticEmbedError } from '../errors.js';

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the directory is not empty',
  EINVAL: 'invalid argument',
  ENXIO: 'no such device (a FIFO or socket without a peer)',
};

const NET_REASONS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  ENOTFOUND: 'the host name does not resolve',
};

/** A file system error in words, with its code: "EACCES: permission denied"; other errors by their message. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && FS_REASONS[code]) return `${code}: ${FS_REASONS[code]}`;
  return e instanceof Error ? e.message : String(e);
}

/** The system calls that write: their failures are about an output path. */
const WRITE_CALLS = new Set([
  'mkdir',
  'rmdir',
  'write',
  'rename',
  'unlink',
  'copyfile',
  'symlink',
  'link',
  'ftruncate',
]);

/** A Node system error (fs) as a StaticEmbedError IO_ERROR; undefined for anything else. */
export function fromSystemError(e: unknown, pathHint?: string): StaticEmbedError | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as NodeJS.ErrnoException).code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
  const syscall = (e as NodeJS.ErrnoException).syscall;
  if (syscall === 'listen' || syscall === 'getaddrinfo' || syscall === 'bind') {
    // a server that cannot listen: the fix is the address, not a file path
    return new StaticEmbedError(
      'IO_ERROR',
      `Cannot listen: ${NET_REASONS[code] ?? e.message} (${e.message}). Choose another --host or --port (or stop the process using it).`,
      { cause: e },
    );
  }
  const path = (e as NodeJS.ErrnoException).path ?? pathHint;
  const reason = FS_REASONS[code] ?? e.message;
  const what = path !== undefined ? `Cannot access ${path}: ${reason} (${code}).` : `${reason} (${code}).`;
  const fix = WRITE_CALLS.has(syscall ?? '')
    ? 'Check that its folder exists and that you can write to it, or choose another path.'
    : 'Check the path and that it names a readable file (or the folder the option asks for).';
  return new StaticEmbedError('IO_ERROR', `${what} ${fix}`, { cause: e });
}

/** Levenshtein distance (insertions, deletions, substitutions), for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The closest candidate within an edit distance of max(2, a third of its length), or undefined. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined,
    bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * The error for a missing or unknown subcommand (`classify trian`): the choices, a did-you-mean when one is
 * close, and how to see the command's help.
 */
export function subcommandError(
  command: string,
  given: string | undefined,
  choices: readonly string[],
): StaticEmbedError {
  const quoted = choices.map((c) => `"${c}"`);
  const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
  const guess = given === undefined ? undefined : closest(given, choices);
  return new StaticEmbedError(
    'INVALID_ARGUMENT',
    `the first word must be ${list}, got ${given === undefined ? 'nothing' : `"${given}"`}.` +
      `${guess ? ` Did you mean "${guess}"?` : ''} (static-embed ${command} ${choices.join('|')} …; see static-embed ${command} --help).`,
  );
}

/**
 * parseArgs' error for an unknown or malformed option, rewritten with a suggestion and no help dump. `operands` (e.g.
 * "TEXT") is what the command's positional arguments are, when it takes texts or files: an unknown "--x" may be one.
 */
export function optionError(
  command: string,
  cause: Error,
  options: readonly string[],
  operands?: string,
): StaticEmbedError {
  const code = (cause as { code?: string }).code;
  const m = /Unknown option '(-{1,2})([^'=]+)/.exec(cause.message);
  const list = options.map((o) => `--${o}`).join(', ');
  const afterDashes = (what: string) =>
    `${what} that starts with "-" goes after "--" (static-embed ${command} [options] -- ${operands ?? 'TEXT'} …)`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m?.[1] === '-') {
    // parseArgs read an argument starting with one "-" as one-letter options: most likely a text or a negative number
    return new StaticEmbedError(
      'INVALID_ARGUMENT',
      `unknown option -${m[2]!} (an argument that starts with "-"): static-embed has no one-letter options. A ` +
        `${afterDashes(operands === 'FILE' ? 'file name' : 'text')}; an option's value goes right after the option, ` +
        `also when it starts with "-". Options: ${list}.`,
      { cause },
    );
  }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m) {
    const flag = m[2]!;
    const guess = closest(flag, options);
    const operand = operands
      ? ` If ${m[1]}${flag} is a ${operands === 'FILE' ? 'file name' : 'text'}, not an option: a ` +
        `${afterDashes(operands === 'FILE' ? 'file name' : 'text')}.`
      : '';
    return new StaticEmbedError(
      'INVALID_ARGUMENT',
      `unknown option ${m[1]}${flag}.${guess ? ` Did you mean --${guess}?` : ''}${operand} Options: ${list} ` +
        `(static-embed ${command} --help).`,
      { cause },
    );
  }
  // one line: some of parseArgs' messages span several
  const text = cause.message
    .replace(/\s*\n\s*/g, ' ')
    .split(/\.? To specify/)[0]!
    .trim();
  return new StaticEmbedError(
    'INVALID_ARGUMENT',
    `${/[.?!]$/.test(text) ? text : `${text}.`} See static-embed ${command} --help.`,
    { cause },
  );
}

/** Prints an error in the one CLI format and returns the exit code: 2 for user errors, 1 for a bug. */
export function reportError(command: string, e: unknown): number {
  const prefix = command === '' ? 'static-embed' : `static-embed ${command}`;
  const err = e instanceof StaticEmbedError ? e : fromSystemError(e);
  if (err) {
    // messages never repeat the prefix (older messages might carry it)
    const message = err.message.startsWith(`${prefix}: `) ? err.message.slice(prefix.length + 2) : err.message;
    console.error(`${prefix}: error [${err.code}]: ${message}`);
    return 2;
  }
  const msg = e instanceof Error ? e.message : String(e);
  console.error(
    `${prefix}: internal error: ${msg} — this is a bug in static-embed; please report it with the command line (STATIC_EMBED_DEBUG=1 prints the stack trace).`,
  );
  if (process.env.STATIC_EMBED_DEBUG === '1') console.error(e);
  return 1;
}
