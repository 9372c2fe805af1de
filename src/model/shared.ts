/**
 * A model's state for worker threads and Web Workers: the arena's shared WebAssembly memory (the table is read
 * in place, never copied) or, without one, SharedArrayBuffer copies of the arrays; and the tokenizer's state.
 */
import { Arena } from '../kernels/arena.js';
import { isShared, shareableBuffer } from '../kernels/shareable.js';
import { Tokenizer, type TokenizerShared } from '../tokenizer/tokenizer.js';
import type { ModelCore } from './core.js';

/** What a worker receives: the core with the tokenizer's shared state in place of the tokenizer and the arena. */
export type ModelShared = Omit<ModelCore, 'tokenizerJson' | 'tokenizer' | 'arena'> & {
  tokenizer: TokenizerShared;
  memory: WebAssembly.Memory | null;
};

/** A shared view of `a`: itself when its memory is already shared (the arena's), else a shareable copy. */
function shareArray<T extends Float32Array | Uint32Array>(
  a: T | undefined,
  make: (b: ArrayBuffer | SharedArrayBuffer, n: number) => T,
): T | undefined {
  if (!a || isShared(a)) return a;
  const s = make(shareableBuffer(a.byteLength), a.length);
  s.set(a as never);
  return s;
}

export function coreToShared(c: ModelCore, medianTokenLength: number | undefined): ModelShared {
  const { tokenizerJson: _json, tokenizer, arena, ...rest } = c;
  void _json;
  return {
    ...rest,
    tokenizer: tokenizer.toShared(),
    memory: arena.shared ? arena.memory : null,
    table: shareArray(c.table, (b, n) => new Float32Array(b, 0, n))!,
    weights: shareArray(c.weights, (b, n) => new Float32Array(b, 0, n)),
    mapping: shareArray(c.mapping, (b, n) => new Uint32Array(b, 0, n)),
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
