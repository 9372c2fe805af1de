/** `static-embed/ai`: a Vercel AI SDK embedding model over a static-embed model (for `ai`'s embed / embedMany). */
export {
  StaticEmbeddingModel,
  staticEmbedding,
  type StaticEmbeddingModelOptions,
  type EmbedCallOptions,
  type EmbedCallResult,
} from '../integrations/ai/embedding-model.js';
