/**
 * The one error class of static-embed. Every failure a user can cause (bad files, bad input, bad options)
 * is a StaticEmbedError with a stable `code`; messages say what was expected, what was found, and the fix.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_JSON'
  | 'INVALID_TOKENIZER'
  | 'UNSUPPORTED_COMPONENT'
  | 'MISSING_TOKEN'
  | 'INVALID_INPUT'
  | 'INVALID_SAFETENSORS'
  | 'INVALID_MODEL'
  | 'NO_LAYOUT'
  | 'NOT_FOUND'
  | 'IO_ERROR'
  | 'NETWORK_ERROR'
  | 'TRUNCATED_DOWNLOAD'
  | 'DOWNLOAD_TOO_LARGE'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'TRAINING_DIVERGED'
  | 'UNAUTHORIZED'
  | 'PAYLOAD_TOO_LARGE'
  | 'METHOD_NOT_ALLOWED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'NOT_READY'
  | 'OVERLOADED'
  | 'WORKER_FAILED';

export class StaticEmbedError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StaticEmbedError';
    this.code = code;
  }
}

/** Short, printable description of a JSON value for "expected X, got Y" messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  // JSON-quoted: control characters (a newline) are escaped, so a message stays one line
  if (typeof value === 'string')
    return value.length > 40
      ? `a string ${JSON.stringify(value.slice(0, 37)).slice(0, -1)}..."`
      : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function unsupported(kind: string, type: unknown, supported: readonly string[]): StaticEmbedError {
  return new StaticEmbedError(
    'UNSUPPORTED_COMPONENT',
    `Unsupported ${kind} type ${describe(type)}. Supported ${kind} types: ${supported.join(', ')}. ` +
      `Convert the tokenizer with the Python 'tokenizers' library to a supported component, or open an issue.`,
  );
}
