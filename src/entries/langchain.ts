/** `static-embed/langchain`: LangChain.js Embeddings and a TextSplitter (needs @langchain/core, @langchain/textsplitters). */
export { StaticEmbeddings, type StaticEmbeddingsParams } from '../integrations/langchain/static-embeddings.js';
export {
  StaticSemanticSplitter,
  type StaticSemanticSplitterParams,
} from '../integrations/langchain/semantic-splitter.js';
