/** `static-embed/lancedb` (Node): the LanceDB embedding function (registered on import) and a text store on it. */
import { registerStaticEmbed } from '../runtime/node/lancedb/embedding-function.js';

// tables record the function by name: opening one needs it in LanceDB's registry, so importing this entry puts it there
registerStaticEmbed();

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
