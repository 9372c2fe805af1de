/**
 * Buffers that worker threads can share when the runtime allows it (SharedArrayBuffer or plain).
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */

/** Whether this runtime has SharedArrayBuffer (needed by worker threads / Web Workers). */
export function sharedMemoryAvailable(): boolean {
  return typeof SharedArrayBuffer === 'function';
}

/** A zero-filled buffer of `bytes` bytes: a SharedArrayBuffer where available, else a plain ArrayBuffer. */
export function shareableBuffer(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return sharedMemoryAvailable() ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** Bytes in a shareable buffer (a SharedArrayBuffer where available): themselves when already shared, else a copy. */
export function shareableBytes(b: Uint8Array): Uint8Array {
  if (isShared(b)) return b;
  const out = new Uint8Array(shareableBuffer(b.length));
  out.set(b);
  return out;
}

/** Whether a typed array's memory is shared (false wherever SharedArrayBuffer does not exist). */
export function isShared(a: ArrayBufferView): boolean {
  return sharedMemoryAvailable() && a.buffer instanceof SharedArrayBuffer;
}
