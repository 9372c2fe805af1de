/** What the routes share with the handler: the served models and the context one request runs in. */
import type { StaticModel } from '../model/static-model.js';
import type { MicroBatcher, Embedded } from './batcher.js';
import type { BodySource, SliceKind } from './serialize.js';
import type { Limits } from './inputs.js';

export interface ModelEntry {
  name: string;
  model: StaticModel;
  batcher: MicroBatcher;
}

/** What a route needs: the limits, model lookup and the batched encoder. */
export interface RouteContext {
  limits: Limits;
  model(name: unknown): ModelEntry;
  models(): ModelEntry[];
  embed(entry: ModelEntry, texts: string[]): Promise<Embedded>;
  /** reserves the memory of a response of `n` rows (full model width) before encoding, or throws OVERLOADED */
  reserveResponse(n: number, dim: number, bytesPerFloat: number): void;
  /** a streamed response body of postprocessed rows (holds the request's memory reservation until written) */
  body(kind: SliceKind, rows: Float32Array, n: number, dim: number, head: string, tail: string): BodySource;
  /** filled by routes for the log and the metrics */
  note: { model?: string; texts?: number; tokens?: number; error?: string };
}
