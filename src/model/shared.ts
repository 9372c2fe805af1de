/**
 * A model's state for worker threads and Web Workers: the arena's shared WebAssembly memory (the table is read
 * in place, never copied) or, without one, SharedArrayBuffer copies of the arrays; and the tokenizer's state.
 */
import { Arena } from '../kernels/arena.js';
import { isShared, shareableBuffer } from '../kernels/shareable.js';
import { Tokenizer, type TokenizerShared } from '../tokenizer/tokenizer.js';
import type { ModelCore } from './core.js';

/** What a worker receives: the core with the tokenizer's shared state in place of the tokenizer and the arena. */
export type ModelShared = Omit<ModelCore, 'tokenizerJson' | 'tokenizer' | 'arena' | 'rows'> & {
  tokenizer: TokenizerShared;
  memory: WebAssembly.Memory | null;
};

type Shareable = Float32Array | Uint32Array | Int8Array | Uint16Array;

/** A shared view of `a`: itself when its memory is already shared (the arena's), else a shareable copy. */
function shareArray<T extends Shareable>(a: T | undefined): T | undefined {
  if (!a || isShared(a)) return a;
  const make = a.constructor as new (b: ArrayBufferLike, offset: number, n: number) => T;
  const s = new make(shareableBuffer(a.byteLength), 0, a.length);
  s.set(a as never);
  return s;
}

/**
 * What workers need of a core: the table in the dtype it is kept in (int8 codes, half or bfloat16 bits, or
 * float32), never widened for them — in the shared arena memory, or in one SharedArrayBuffer all workers read.
 */
export function coreToShared(c: ModelCore, medianTokenLength: number | undefined): ModelShared {
  c.rows?.ensureAll(); // workers read the table as it is
  const { tokenizerJson: _json, tokenizer, arena, rows: _rows, ...rest } = c;
  void _json;
  void _rows;
  return {
    ...rest,
    tokenizer: tokenizer.toShared(),
    memory: arena.shared ? arena.memory : null,
    table: shareArray(c.table)!,
    scales: shareArray(c.scales),
    weights: shareArray(c.weights),
    mapping: shareArray(c.mapping),
    ...(medianTokenLength !== undefined ? { medianTokenLength } : {}),
  };
}

/** The core rebuilt from `coreToShared` in a worker (no copy of the table). */
export function coreFromShared(s: ModelShared): ModelCore {
  const { tokenizer, memory, ...rest } = s;
  return {
    ...rest,
    tokenizerJson: tokenizer.json,
    tokenizer: Tokenizer.fromShared(tokenizer),
    arena: memory ? Arena.attach(memory) : Arena.create(0, false),
  };
}
