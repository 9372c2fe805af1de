/** `static-embed/tokenizer`: the tokenizer alone (portable), for ids without a model. */
export { Tokenizer, type EncodeOptions, type EncodedBatch, type TokenSpans } from '../tokenizer/tokenizer.js';
export { toCodePointOffsets } from '../tokenizer/offsets.js';
export { IdBuffer } from '../tokenizer/id-buffer.js';
export type { TokenizerJson } from '../tokenizer/schema.js';
export { UNICODE_SOURCE } from '../tokenizer/unicode.js';
