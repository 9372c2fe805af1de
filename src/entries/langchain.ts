/** `static-embed/langchain`: a LangChain.js Embeddings over a static-embed model (needs @langchain/core). */
export { StaticEmbeddings, type StaticEmbeddingsParams } from '../integrations/langchain/static-embeddings.js';
