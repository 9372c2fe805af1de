/** .npy golden files read with the library's strict reader (formats/npy.ts). */
import { readFileSync } from 'node:fs';
import { readNpyBytes, type NpyArray } from '../../src/formats/npy.js';

export type { NpyArray };

export function readNpy(path: string): NpyArray {
  return readNpyBytes(readFileSync(path), path);
}
