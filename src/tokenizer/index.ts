export { Tokenizer, type EncodeOptions, type EncodedBatch } from './tokenizer.js';
export { IdBuffer } from './id-buffer.js';
export type { TokenizerJson } from './schema.js';
export { UNICODE_SOURCE } from './unicode.js';
