/** A model's core from a tokenizer.json and a safetensors file (bytes or a byte source) in a resolved layout. */
import { StaticEmbedError } from '../errors.js';
import { resolveLayout, type ResolvedLayout } from '../formats/layouts.js';
import {
  rawRowRangeInto,
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

/** Whether every value is exact in float32. */
function allFloat32(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (Math.fround(a[i]!) !== a[i]) return false;
  return true;
}

/** The index of the first value that is infinite or NaN, or -1. */
function firstNonFinite(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (a[i]! - a[i]! !== 0) return i;
  return -1;
}

/** The dtype a table is kept in: as stored where the pooling kernel reads it exactly, else float32. */
function keptDtype(
  emb: Tensor,
  scales: Float64Array | undefined,
  scalesF32: boolean,
  options: LoadOptions,
): TableDtype {
  if (options.tableDtype === 'float32') return 'float32';
  if (emb.dtype === 'F16' && !scales) return 'float16';
  if (emb.dtype === 'BF16' && !scales) return 'bfloat16';
  // int8 codes times a float32 scale are exact as the kernel computes them; a scale float32 cannot hold is widened
  if (emb.dtype === 'I8' && (!scales || scalesF32 || allFloat32(scales))) return 'int8';
  return 'float32';
}

/** Raw bytes of a table kept in its stored dtype. */
const bytesOf = (t: TableData) => new Uint8Array(t.buffer, t.byteOffset, t.byteLength);

/**
 * The table source of an embedding tensor (with its row scales): kept as stored or widened to float32. With
 * `release`, the file stays open after loading, so rows can be read on first use; `release` closes it.
 */
function tensorSource(
  emb: Tensor,
  scales: Float64Array | undefined,
  scalesF32: boolean,
  options: LoadOptions,
  release?: () => void,
): TableSource {
  const [rows, sourceDim] = emb.shape as [number, number];
  const keep = keptDtype(emb, scales, scalesF32, options);
  const fill =
    keep === 'float32'
      ? (dest: TableData, dim: number) => tableInto(emb, dim, dest as Float32Array, scales)
      : (dest: TableData, dim: number) => rawRowsInto(emb, dim, bytesOf(dest));
  const rowRange = release && {
    fill: (dest: TableData, dim: number, r0: number, r1: number) => rawRowRangeInto(emb, dim, bytesOf(dest), r0, r1),
    release,
  };
  return {
    rowRange,
    rows,
    sourceDim,
    dtype: emb.dtype + (scales ? '+scales' : ''),
    keep,
    fill,
    scales: keep === 'int8' && scales ? new Float32Array(scales) : undefined,
  };
}

/**
 * A core from a tokenizer.json and a safetensors file. With `release`, the core takes over the open file: an int8
 * table is then read on first use (ModelCore.rows), and `release` is called once the file is no longer needed.
 */
export function coreFromSafetensors(
  tokenizerJson: Uint8Array,
  weightsFile: Uint8Array | ByteSource,
  resolved: ResolvedLayout,
  options: LoadOptions,
  vocabTable?: Uint8Array,
  release?: () => void,
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
  const badScale = scales ? firstNonFinite(scales) : -1;
  if (badScale >= 0)
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `"scales"[${badScale}] (the scale of table row ${badScale}) is ${scales![badScale]}, not a finite number; the model is damaged.`,
    );
  return assembleCore(
    json,
    tokenizer,
    {
      ...tensorSource(emb, scales, scalesT?.dtype === 'F32', options, release),
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
