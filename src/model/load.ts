/** A model's core from a tokenizer.json and a safetensors file (bytes or a byte source) in a resolved layout. */
import { StaticEmbedError } from '../errors.js';
import type { ResolvedLayout } from '../formats/layouts.js';
import { readSafetensors, tableInto, tensorToNumbers, type ByteSource } from '../formats/safetensors.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { assembleCore, checkLoadOptions, type LoadOptions, type ModelCore } from './core.js';

export function coreFromSafetensors(
  tokenizerJson: Uint8Array,
  weightsFile: Uint8Array | ByteSource,
  resolved: ResolvedLayout,
  options: LoadOptions,
): ModelCore {
  checkLoadOptions(options);
  const tokenizer = Tokenizer.fromJSON(tokenizerJson);
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
    tokenizerJson,
    tokenizer,
    {
      rows,
      sourceDim,
      dtype: emb.dtype + (scalesT ? '+scales' : ''),
      fill: (dest, dim) => tableInto(emb, dim, dest, scales),
      mapping: mappingT && tensorToNumbers(mappingT),
      weights: weightsT && tensorToNumbers(weightsT),
    },
    resolved,
    options,
  );
}
