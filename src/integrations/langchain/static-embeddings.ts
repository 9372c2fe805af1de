/** A LangChain.js `Embeddings` over a static-embed model. See ARCHITECTURE.md, "Integrations". */
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { StaticEmbedError, describe } from '../../errors.js';
import type { StaticModel } from '../../model/static-model.js';
import { encodeRows, type AdapterOptions } from '../encode-rows.js';

export interface StaticEmbeddingsParams extends EmbeddingsParams, AdapterOptions {
  /** the model (e.g. from StaticModel.fromPretrained or loadDefaultModel) */
  model: StaticModel;
}

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
