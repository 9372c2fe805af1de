export { StaticEmbedError, type ErrorCode } from './errors.js';
export { Tokenizer, IdBuffer, UNICODE_SOURCE, type EncodeOptions, type EncodedBatch, type TokenizerJson } from './tokenizer/index.js';
