/**
 * A Vercel AI SDK embedding model (specification v3) over a static-embed model.
 * See ARCHITECTURE.md, "Integrations".
 */
import { StaticEmbedError } from '../../errors.js';
import type { StaticModel } from '../../model/static-model.js';
import { encodeRows, type AdapterOptions } from '../encode-rows.js';

/** What `doEmbed` receives (the fields of the call options it uses; `dimensions` comes from `ai` 7). */
export interface EmbedCallOptions {
  values: string[];
  dimensions?: number;
  abortSignal?: AbortSignal;
}

export interface EmbedCallResult {
  embeddings: number[][];
  usage: { tokens: number };
  warnings: never[];
}

export interface StaticEmbeddingModelOptions extends AdapterOptions {
  /** the model id reported to the SDK (default "static-embed") */
  modelId?: string;
}

export class StaticEmbeddingModel {
  readonly specificationVersion = 'v3' as const;
  readonly provider = 'static-embed';
  readonly modelId: string;
  readonly maxEmbeddingsPerCall = Infinity;
  readonly supportsParallelCalls = false;

  constructor(
    readonly model: StaticModel,
    private readonly options: StaticEmbeddingModelOptions = {},
  ) {
    this.modelId = options.modelId ?? 'static-embed';
  }

  async doEmbed({ values, dimensions, abortSignal }: EmbedCallOptions): Promise<EmbedCallResult> {
    abortSignal?.throwIfAborted();
    if (dimensions !== undefined && (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > this.model.dim))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `dimensions must be an integer from 1 to ${this.model.dim} (the model's size), got ${dimensions}.`,
      );
    const counts = new Int32Array(values.length);
    const embeddings = await encodeRows(
      this.model,
      values,
      { ...this.options, ...(dimensions !== undefined ? { truncateDim: dimensions } : {}) },
      counts,
    );
    let tokens = 0;
    for (const c of counts) tokens += c;
    return { embeddings, usage: { tokens }, warnings: [] };
  }
}

/**
 * A Vercel AI SDK embedding model over a static-embed model, for `embed` and `embedMany`.
 *
 * @example
 * ```ts
 * import { embed, embedMany } from 'ai';
 * import { loadDefaultModel } from 'static-embed';
 * import { staticEmbedding } from 'static-embed/ai';
 *
 * const model = staticEmbedding(await loadDefaultModel());
 * const { embeddings } = await embedMany({ model, values: ['The cat sleeps.', 'Stocks fell.'] });
 * const { embedding } = await embed({ model, value: 'a kitten napping' });
 * console.log(embeddings.length, embedding.length); // → 2 256
 * ```
 */
export function staticEmbedding(model: StaticModel, options?: StaticEmbeddingModelOptions): StaticEmbeddingModel {
  return new StaticEmbeddingModel(model, options);
}
