/** A model's core from a tokenizer.json and a safetensors file (bytes or a byte source) in a resolved layout. */
import { StaticEmbedError } from '../errors.js';
import { resolveLayout, type ResolvedLayout } from '../formats/layouts.js';
import {
  rawRowsInto,
  readSafetensors,
  tableInto,
  tensorToNumbers,
  type ByteSource,
  type Tensor,
} from '../formats/safetensors.js';
import type { TableData, TableDtype } from '../kernels/table-dtype.js';
import { shareableBytes } from '../kernels/shareable.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { vocabTablePath } from '../tokenizer/vocab-table.js';
import { assembleCore, checkLoadOptions, type LoadOptions, type ModelCore, type TableSource } from './core.js';
import { BytesSource, type ModelFiles } from './files.js';

/** The dtype a table is kept in: as stored where the pooling kernel reads it exactly, else float32. */
function keptDtype(emb: Tensor, scales: Float64Array | undefined, options: LoadOptions): TableDtype {
  if (options.tableDtype === 'float32') return 'float32';
  if (emb.dtype === 'F16' && !scales) return 'float16';
  if (emb.dtype === 'BF16' && !scales) return 'bfloat16';
  // int8 codes times a float32 scale are exact as the kernel computes them; a scale float32 cannot hold is widened
  if (emb.dtype === 'I8' && (!scales || scales.every((s) => Math.fround(s) === s))) return 'int8';
  return 'float32';
}

/** The table source of an embedding tensor (with its row scales): kept as stored or widened to float32. */
function tensorSource(emb: Tensor, scales: Float64Array | undefined, options: LoadOptions): TableSource {
  const [rows, sourceDim] = emb.shape as [number, number];
  const keep = keptDtype(emb, scales, options);
  const fill =
    keep === 'float32'
      ? (dest: TableData, dim: number) => tableInto(emb, dim, dest as Float32Array, scales)
      : (dest: TableData, dim: number) =>
          rawRowsInto(emb, dim, new Uint8Array(dest.buffer, dest.byteOffset, dest.byteLength));
  return {
    rows,
    sourceDim,
    dtype: emb.dtype + (scales ? '+scales' : ''),
    keep,
    fill,
    scales: keep === 'int8' && scales ? Float32Array.from(scales) : undefined,
  };
}

export function coreFromSafetensors(
  tokenizerJson: Uint8Array,
  weightsFile: Uint8Array | ByteSource,
  resolved: ResolvedLayout,
  options: LoadOptions,
  vocabTable?: Uint8Array,
): ModelCore {
  checkLoadOptions(options);
  // the model keeps one copy of the file, in memory worker threads can share
  const json = shareableBytes(tokenizerJson);
  const tokenizer = Tokenizer.fromJSON(json, vocabTable ? { vocabTable } : {});
  const st = readSafetensors(weightsFile);
  const name = [...resolved.tensorNames, 'int8_table'].find((n) => st.tensors.has(n));
  if (!name) {
    const found = [...st.tensors.keys()].join(', ') || 'no tensors';
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `${resolved.weights} has no embedding tensor: looked for ${resolved.tensorNames.join(', ')}, found ${found}.`,
    );
  }
  const emb = st.tensors.get(name)!;
  if (emb.shape.length !== 2)
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `Tensor "${name}" has shape [${emb.shape.join(', ')}]; an embedding table is [rows, dim].`,
    );
  const [rows, sourceDim] = emb.shape as [number, number];
  if (rows === 0 || sourceDim === 0)
    throw new StaticEmbedError('INVALID_MODEL', `Tensor "${name}" is empty ([${rows}, ${sourceDim}]).`);
  const mappingT = st.tensors.get('mapping');
  const weightsT = st.tensors.get('weights');
  const scalesT = st.tensors.get('scales');
  const scales = scalesT ? tensorToNumbers(scalesT) : undefined;
  if (scales && scales.length !== rows)
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `"scales" has ${scales.length} entries; expected one per table row (${rows}).`,
    );
  const badScale = scales ? scales.findIndex((s) => !Number.isFinite(s)) : -1;
  if (badScale >= 0)
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `"scales"[${badScale}] (the scale of table row ${badScale}) is ${scales![badScale]}, not a finite number; the model is damaged.`,
    );
  return assembleCore(
    json,
    tokenizer,
    {
      ...tensorSource(emb, scales, options),
      mapping: mappingT && tensorToNumbers(mappingT),
      weights: weightsT && tensorToNumbers(weightsT),
    },
    resolved,
    options,
  );
}

/** A model's core from the files of its folder in memory (paths relative to the folder), in any known layout. */
export function coreFromFiles(files: ModelFiles, options: LoadOptions, where: string): ModelCore {
  const src = new BytesSource(files);
  const resolved = resolveLayout(src, where);
  const vocab = vocabTablePath(resolved.tokenizer);
  return coreFromSafetensors(
    src.bytes(resolved.tokenizer),
    src.bytes(resolved.weights),
    resolved,
    options,
    src.has(vocab) ? src.bytes(vocab) : undefined,
  );
}
