/**
 * Saving and converting models: the files of a folder in the sentence-transformers or model2vec layout.
 * See ARCHITECTURE.md, "Models written".
 */
import { StaticEmbedError, describe } from '../errors.js';
import { floatToHalfBits } from '../math/float16.js';
import { writeSafetensors, type TensorToWrite } from '../formats/safetensors-writer.js';
import { modelInternals, type StaticModel } from '../model/static-model.js';
import { tokenizerJsonOf } from './rebuild.js';
import { INT8_TABLE, modelCard, type CardOptions, type SaveDtype, type SaveLayout } from './model-card.js';

export {
  CARD_TITLE,
  INT8_TABLE,
  copyHistory,
  libraryName,
  licenceId,
  profileChange,
  type CopyHistory,
  type SaveDtype,
  type SaveLayout,
  type SourceLicence,
} from './model-card.js';

export interface SaveOptions extends CardOptions {
  layout?: SaveLayout;
  dtype?: SaveDtype;
  /** normalize embeddings in the saved model (default: the model's) */
  normalize?: boolean;
}

const u32 = new Uint32Array(1);
const f32 = new Float32Array(u32.buffer);

function bf16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  if ((b & 0x7f800000) === 0x7f800000 && b & 0x7fffff) return (b >>> 16) | 0x40; // NaN stays NaN
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff; // round to nearest even
}

/** The table in the requested dtype (int8: symmetric per-row scales, code = round(x / scale)). */
export function encodeTable(
  table: Float32Array,
  rows: number,
  dim: number,
  dtype: SaveDtype,
): Record<string, TensorToWrite> {
  const shape = [rows, dim];
  switch (dtype) {
    case 'float32':
      return {
        table: {
          dtype: 'F32',
          shape,
          bytes: new Uint8Array(table.buffer.slice(table.byteOffset, table.byteOffset + rows * dim * 4)),
        },
      };
    case 'float16':
    case 'bfloat16': {
      const out = new Uint16Array(rows * dim);
      for (let i = 0; i < out.length; i++)
        out[i] = dtype === 'float16' ? floatToHalfBits(table[i]!) : bf16Bits(table[i]!);
      return { table: { dtype: dtype === 'float16' ? 'F16' : 'BF16', shape, bytes: new Uint8Array(out.buffer) } };
    }
    case 'int8': {
      const q = new Int8Array(rows * dim);
      const scales = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let m = 0;
        for (let j = 0; j < dim; j++) m = Math.max(m, Math.abs(table[r * dim + j]!));
        const s = m > 0 ? Math.fround(m / 127) : 1;
        scales[r] = s;
        for (let j = 0; j < dim; j++)
          q[r * dim + j] = Math.max(-127, Math.min(127, Math.round(table[r * dim + j]! / s)));
      }
      return {
        table: { dtype: 'I8', shape, bytes: new Uint8Array(q.buffer) },
        scales: { dtype: 'F32', shape: [rows], bytes: new Uint8Array(scales.buffer) },
      };
    }
    default:
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `dtype must be float32, float16, bfloat16 or int8, got ${describe(dtype)}.`,
      );
  }
}

const enc = new TextEncoder();

/** What a model folder written by static-embed (or read by it) consists of, either layout: the entries a new copy
 * replaces (anything else in its folder is the user's). */
const MODEL_FOLDER_ENTRIES: ReadonlySet<string> = new Set([
  'modules.json',
  'config_sentence_transformers.json',
  '0_StaticEmbedding',
  '1_Normalize',
  'config.json',
  'model.safetensors',
  'tokenizer.json',
  'README.md',
  'LICENSE',
  'LICENSE.md',
  'LICENSE.txt',
  'NOTICE',
]);

/** Whether an entry of a model folder (a top-level name) is one of the model's files. */
export const isModelFolderEntry = (name: string): boolean => MODEL_FOLDER_ENTRIES.has(name);

/** The files of a model folder, by relative path. */
export function modelFiles(model: StaticModel, o: SaveOptions = {}): Map<string, Uint8Array> {
  const layout = o.layout ?? 'sentence-transformers';
  const dtype = o.dtype ?? 'float32';
  if (layout !== 'sentence-transformers' && layout !== 'model2vec')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `layout must be sentence-transformers or model2vec, got ${describe(layout)}.`,
    );
  if (model.mapping && layout !== 'model2vec') {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      'A vocabulary-quantized model (mapping + weights) can only be saved in the model2vec ' +
        'layout: sentence-transformers has no such module. Use --layout model2vec.',
    );
  }
  const normalize = o.normalize ?? model.normalize;
  const st = tableFile(model, layout, dtype);
  const tokenizer = tokenizerJsonOf(model);
  const files = new Map<string, Uint8Array>();
  const card = modelCard(model, layout, dtype, normalize, o);
  if (layout === 'model2vec') {
    files.set('config.json', model2vecConfig(model, dtype, normalize));
    files.set('model.safetensors', st);
    files.set('tokenizer.json', tokenizer);
  } else {
    const modules = [
      { idx: 0, name: '0', path: '0_StaticEmbedding', type: 'sentence_transformers.models.StaticEmbedding' },
    ];
    if (normalize)
      modules.push({ idx: 1, name: '1', path: '1_Normalize', type: 'sentence_transformers.models.Normalize' });
    files.set('modules.json', enc.encode(JSON.stringify(modules, null, 2) + '\n'));
    files.set(
      'config_sentence_transformers.json',
      enc.encode(
        JSON.stringify(
          // normalize: model2vec reads this folder too, with this file as its config (sentence-transformers
          // normalizes by the Normalize module and ignores the key)
          { prompts: {}, default_prompt_name: null, similarity_fn_name: model.similarityFnName, normalize },
          null,
          2,
        ) + '\n',
      ),
    );
    files.set('0_StaticEmbedding/model.safetensors', st);
    files.set('0_StaticEmbedding/tokenizer.json', tokenizer);
  }
  files.set('README.md', enc.encode(card));
  for (const [name, bytes] of o.licence?.files ?? []) files.set(name, bytes);
  return files;
}

/** The safetensors file of the table (with its scales, weights and mapping when it has them). */
function tableFile(model: StaticModel, layout: SaveLayout, dtype: SaveDtype): Uint8Array {
  const { table: t, scales } = encodeTable(modelInternals.floatTable(model), model.tableRows, model.dim, dtype);
  const name = dtype === 'int8' ? INT8_TABLE : layout === 'model2vec' ? 'embeddings' : 'embedding.weight';
  const tensors: Record<string, TensorToWrite> = { [name]: t! };
  if (scales) tensors.scales = scales;
  if (model.weights)
    tensors.weights = {
      dtype: 'F32',
      shape: [model.weights.length],
      bytes: new Uint8Array(model.weights.slice().buffer),
    };
  if (model.mapping)
    tensors.mapping = {
      dtype: 'I32',
      shape: [model.mapping.length],
      bytes: new Uint8Array(Int32Array.from(model.mapping).buffer),
    };
  return writeSafetensors(tensors, { format: 'pt', 'static-embed': `dtype=${dtype}` });
}

function model2vecConfig(model: StaticModel, dtype: SaveDtype, normalize: boolean): Uint8Array {
  const config = {
    model_type: 'model2vec',
    architectures: ['StaticModel'],
    hidden_dim: model.dim,
    normalize,
    embedding_dtype: dtype,
    ...(model.mapping ? { vocabulary_quantization: model.tableRows } : {}),
    ...(dtype === 'int8' ? { 'static-embed': 'int8 table with per-row scales: load with static-embed' } : {}),
  };
  return enc.encode(JSON.stringify(config, null, 2) + '\n');
}
