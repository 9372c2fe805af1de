/**
 * A static-embed embedding function for LanceDB, registered in LanceDB's embedding registry as "static-embed":
 * a table created with it stores the function's options ({ model, dim }) in its metadata, so LanceDB embeds
 * the texts it adds and `table.search("text")` embeds the query itself — also in another process that opens the
 * table (after `registerStaticEmbed()`). The model loads in `init` (a folder, a Hub id, or the embedded default).
 */
import { TextEmbeddingFunction, getRegistry } from '@lancedb/lancedb/embedding';
import type { StaticModel } from '../../../model/static-model.js';
import { loadDefaultModel } from '../default-model.js';
import { loadPretrained } from '../pretrained.js';

export const REGISTRY_NAME = 'static-embed';

export interface StaticEmbedFunctionOptions {
  /** model folder or Hub id (default: the embedded default model) */
  model?: string;
  /** keep the first N dimensions (Matryoshka truncation) */
  dim?: number;
  /** threads for encoding (default 1) */
  workers?: number;
}

export class StaticEmbedFunction extends TextEmbeddingFunction<StaticEmbedFunctionOptions> {
  private loaded: StaticModel | undefined;
  private readonly options: StaticEmbedFunctionOptions;

  constructor(options: StaticEmbedFunctionOptions = {}) {
    super();
    this.options = this.resolveVariables(options);
  }

  override async init(): Promise<void> {
    const load = this.options.dim !== undefined ? { truncateDim: this.options.dim } : {};
    this.loaded ??= this.options.model ? await loadPretrained(this.options.model, load) : await loadDefaultModel(load);
  }

  /** The loaded model (after init). */
  get model(): StaticModel {
    if (!this.loaded) throw new Error('StaticEmbedFunction: call init() (or create it through the registry) first.');
    return this.loaded;
  }

  override ndims(): number | undefined {
    return this.loaded?.dim ?? this.options.dim;
  }

  async generateEmbeddings(texts: string[]): Promise<Float32Array[]> {
    const m = this.model.encode(texts, { workers: this.options.workers ?? 1 });
    return Array.from({ length: m.rows }, (_, i) => m.data.slice(i * m.cols, (i + 1) * m.cols));
  }
}

/** Registers StaticEmbedFunction as "static-embed" in LanceDB's registry (once per process). */
export function registerStaticEmbed(): void {
  const registry = getRegistry();
  if (!registry.get(REGISTRY_NAME)) registry.register(REGISTRY_NAME)(StaticEmbedFunction);
}

/** A ready StaticEmbedFunction through the registry (so tables record it). */
export async function staticEmbedFunction(options: StaticEmbedFunctionOptions = {}): Promise<StaticEmbedFunction> {
  registerStaticEmbed();
  const f = getRegistry().get<StaticEmbedFunction>(REGISTRY_NAME)!.create(options);
  const fn = (await f) as StaticEmbedFunction;
  await fn.init();
  return fn;
}
