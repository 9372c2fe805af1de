/** `static-embed/lancedb` (Node): the static-embed embedding function for LanceDB and a text store on top of it. */
export {
  StaticEmbedFunction,
  registerStaticEmbed,
  staticEmbedFunction,
  type StaticEmbedFunctionOptions,
} from '../runtime/node/lancedb/embedding-function.js';
export {
  buildStore,
  openStore,
  searchStore,
  createAnnIndex,
  type StoreOptions,
  type BuildOptions,
  type BuildResult,
  type StoreHit,
  type StoreSearchOptions,
} from '../runtime/node/lancedb/store.js';
