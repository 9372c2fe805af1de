/** `static-embed/tokenizer`: the tokenizer alone (portable), for ids without a model. */
export { Tokenizer, type TokenizeOptions, type EncodedBatch, type TokenSpans } from '../tokenizer/tokenizer.js';
/** @deprecated The tokenizer's options are TokenizeOptions (EncodeOptions names StaticModel.encode's). */
export type { TokenizeOptions as EncodeOptions } from '../tokenizer/tokenizer.js';
export { toCodePointOffsets } from '../tokenizer/offsets.js';
export { IdBuffer } from '../tokenizer/id-buffer.js';
export type { TokenizerJson } from '../tokenizer/schema.js';
export { UNICODE_SOURCE } from '../tokenizer/unicode.js';
