/** A tiny in-memory static model (WordPiece vocabulary of 8, 4 dims) for unit and fuzz tests. */
import { f32Bytes, writeSafetensors } from '../../src/formats/safetensors-writer.js';

export const TINY_VOCAB = ['[PAD]', '[UNK]', 'hello', 'world', '##s', '!', 'good', 'day'];

export function tinyTokenizerJson(): string {
  return JSON.stringify({
    added_tokens: [{ id: 1, content: '[UNK]', special: true, normalized: false }],
    normalizer: { type: 'BertNormalizer', lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i])),
    },
  });
}

/** Row i of the table is [i, i + 0.5, -i, 1]. */
export function tinyTable(): number[][] {
  return TINY_VOCAB.map((_, i) => [i, i + 0.5, -i, 1]);
}

export function tinyModelFiles(
  layout: 'sentence-transformers' | 'model2vec' = 'sentence-transformers',
): Record<string, Uint8Array> {
  const enc = new TextEncoder();
  const table = tinyTable();
  const name = layout === 'model2vec' ? 'embeddings' : 'embedding.weight';
  const st = writeSafetensors({ [name]: { dtype: 'F32', shape: [table.length, 4], bytes: f32Bytes(table.flat()) } });
  if (layout === 'model2vec') {
    return {
      'config.json': enc.encode('{"model_type": "model2vec", "normalize": false}'),
      'model.safetensors': st,
      'tokenizer.json': enc.encode(tinyTokenizerJson()),
    };
  }
  return {
    'modules.json': enc.encode(
      '[{"idx": 0, "name": "0", "path": "0_StaticEmbedding", "type": "sentence_transformers.models.StaticEmbedding"}]',
    ),
    '0_StaticEmbedding/model.safetensors': st,
    '0_StaticEmbedding/tokenizer.json': enc.encode(tinyTokenizerJson()),
  };
}
