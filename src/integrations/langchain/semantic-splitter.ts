/** A LangChain.js `TextSplitter` that cuts where the meaning changes (or by sentences, or token windows). */
import { TextSplitter, type TextSplitterParams } from '@langchain/textsplitters';
import { chunkText, checkChunkOptions, type ChunkOptions } from '../../chunk/chunk.js';
import { StaticEmbedError, describe } from '../../errors.js';
import type { StaticModel } from '../../model/static-model.js';

export interface StaticSemanticSplitterParams extends ChunkOptions, Partial<Omit<TextSplitterParams, 'chunkSize'>> {
  /** the model whose tokens and embeddings decide the chunks (e.g. loadDefaultModel()) */
  model: StaticModel;
}

/**
 * Splits texts with static-embed's chunker (default: `semantic`, at most `maxTokens` model tokens per chunk), for
 * `splitText`, `splitDocuments` and `createDocuments`. `chunkSize` reads as `maxTokens`, `chunkOverlap` as `overlap`.
 */
export class StaticSemanticSplitter extends TextSplitter {
  static override lc_name(): string {
    return 'StaticSemanticSplitter';
  }

  readonly model: StaticModel;
  readonly options: ChunkOptions;

  constructor(params: StaticSemanticSplitterParams) {
    const { model, method, maxTokens, overlap, threshold, percentile, window, locale, ...rest } =
      params ?? ({} as StaticSemanticSplitterParams);
    const options: ChunkOptions = { ...(method !== undefined && { method }) };
    const size = maxTokens ?? 256,
      over = overlap ?? rest.chunkOverlap ?? 0;
    Object.assign(options, { maxTokens: size }, over > 0 && { overlap: over });
    Object.assign(options, threshold !== undefined && { threshold }, percentile !== undefined && { percentile });
    Object.assign(options, window !== undefined && { window }, locale !== undefined && { locale });
    checkChunkOptions(options);
    super({
      ...rest,
      chunkSize: size,
      chunkOverlap: over,
      lengthFunction: (t: string) => model.tokenizer.encode(t).length,
    });
    if (!model || typeof (model as { encode?: unknown }).encode !== 'function')
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `StaticSemanticSplitter needs { model: StaticModel }, got ${describe(model)}.`,
      );
    this.model = model;
    this.options = options;
  }

  async splitText(text: string): Promise<string[]> {
    return chunkText(this.model, text, this.options).map((c) => c.text);
  }
}
