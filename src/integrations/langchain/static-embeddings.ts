/** A LangChain.js `Embeddings` over a static-embed model. See ARCHITECTURE.md, "Integrations". */
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { StaticEmbedError, describe } from '../../errors.js';
import type { StaticModel } from '../../model/static-model.js';
import { encodeRows, type AdapterOptions } from '../encode-rows.js';

export interface StaticEmbeddingsParams extends EmbeddingsParams, AdapterOptions {
  /** the model (e.g. from StaticModel.fromPretrained or loadDefaultModel) */
  model: StaticModel;
}

/**
 * A LangChain.js `Embeddings`: `embedQuery`, and `embedDocuments` in batches of `batchSize`.
 *
 * @example
 * ```ts
 * import { loadDefaultModel } from 'static-embed';
 * import { StaticEmbeddings } from 'static-embed/langchain';
 *
 * const embeddings = new StaticEmbeddings({ model: await loadDefaultModel(), batchSize: 1024 });
 * const [doc] = await embeddings.embedDocuments(['The cat sleeps on the sofa.']);
 * const query = await embeddings.embedQuery('Where is the cat?');
 * console.log(doc!.length, query.length, embeddings.dimensions); // → 256 256 256
 * ```
 */
export class StaticEmbeddings extends Embeddings {
  readonly model: StaticModel;
  /** length of every vector */
  readonly dimensions: number;
  private readonly options: AdapterOptions;

  constructor(params: StaticEmbeddingsParams) {
    const { model, batchSize, workers, ...rest } = params ?? ({} as StaticEmbeddingsParams);
    super(rest);
    if (!model || typeof (model as { encodeAsync?: unknown }).encodeAsync !== 'function')
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `StaticEmbeddings needs { model: StaticModel }, got ${describe(model)}.`,
      );
    this.model = model;
    this.dimensions = model.dim;
    this.options = { ...(batchSize !== undefined ? { batchSize } : {}), ...(workers !== undefined ? { workers } : {}) };
  }

  embedDocuments(documents: string[]): Promise<number[][]> {
    return encodeRows(this.model, documents, this.options);
  }

  async embedQuery(document: string): Promise<number[]> {
    return (await encodeRows(this.model, [document], this.options))[0]!;
  }
}
