/**
 * Training checkpoints (Node): table, optimizer moments and step counts in one safetensors file.
 * See ARCHITECTURE.md, "Training math".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { readSafetensors, type Tensor } from '../../formats/safetensors.js';
import { writeSafetensors } from '../../formats/safetensors-writer.js';
import { readFile } from './fs.js';
import type { TrainState } from '../../train/trainer.js';
import { makeFolder } from './make-folder.js';
import { writeFileAtomic } from './atomic-write.js';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';
const FORMAT = 'static-embed-checkpoint-v1';

export interface Checkpoint {
  state: TrainState;
  table: Float32Array;
  dim: number;
  /** the options of the run that wrote it (compared on resume) */
  options: Record<string, unknown>;
}

const bytesOf = (a: Float32Array | Int32Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function saveCheckpoint(dir: string, checkpoint: Checkpoint): string {
  makeFolder(dir);
  const rows = checkpoint.table.length / checkpoint.dim;
  const bytes = writeSafetensors(
    {
      table: { dtype: 'F32', shape: [rows, checkpoint.dim], bytes: bytesOf(checkpoint.table) },
      adam_m: { dtype: 'F32', shape: [rows, checkpoint.dim], bytes: bytesOf(checkpoint.state.optimizer.m) },
      adam_v: { dtype: 'F32', shape: [rows, checkpoint.dim], bytes: bytesOf(checkpoint.state.optimizer.v) },
      adam_t: { dtype: 'I32', shape: [rows], bytes: bytesOf(checkpoint.state.optimizer.t) },
    },
    {
      format: FORMAT,
      step: String(checkpoint.state.step),
      total: String(checkpoint.state.total),
      options: JSON.stringify(checkpoint.options),
    },
  );
  const file = join(dir, CHECKPOINT_FILE);
  writeFileAtomic(file, bytes);
  return file;
}

export function loadCheckpoint(dir: string): Checkpoint {
  const file = join(dir, CHECKPOINT_FILE);
  if (!existsSync(file))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `No checkpoint at ${file}: --resume continues a run that wrote checkpoints into the same --out folder (see --checkpoint-steps).`,
    );
  const st = readSafetensors(readFile(file));
  if (st.metadata.format !== FORMAT)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${file} is not a static-embed checkpoint (metadata format "${st.metadata.format ?? ''}", expected "${FORMAT}").`,
    );
  const get = (name: string, dtype: string): Tensor => {
    const t = st.tensors.get(name);
    if (!t || t.dtype !== dtype)
      throw new StaticEmbedError('INVALID_INPUT', `${file}: tensor "${name}" (${dtype}) is missing.`);
    return t;
  };
  // a fresh copy (the bytes may be a Node Buffer view into the whole file)
  const f32 = (t: Tensor) => new Float32Array(new Uint8Array(t.bytes).buffer);
  const table = get('table', 'F32'),
    m = get('adam_m', 'F32'),
    v = get('adam_v', 'F32'),
    t = get('adam_t', 'I32');
  const [rows, dim] = table.shape as [number, number];
  return {
    table: f32(table),
    dim,
    state: {
      step: Number(st.metadata.step),
      total: Number(st.metadata.total),
      optimizer: { m: f32(m), v: f32(v), t: new Uint32Array(new Uint8Array(t.bytes).buffer, 0, rows) },
    },
    options: JSON.parse(st.metadata.options ?? '{}') as Record<string, unknown>,
  };
}
