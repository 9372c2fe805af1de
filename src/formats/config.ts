/** The JSON files of a model folder, typed as on disk (snake_case kept). Types only, no code. */

/** modules.json (sentence-transformers): the pipeline's modules in order. */
export interface ModuleJson {
  idx: number;
  name: string;
  path: string;
  type: string;
}

/** config.json of a model2vec model. */
export interface Model2VecConfigJson {
  model_type?: string;
  architectures?: string[];
  tokenizer_name?: string;
  apply_pca?: number | null;
  apply_zipf?: boolean | null;
  sif_coefficient?: number | null;
  hidden_dim?: number;
  seq_length?: number;
  normalize?: boolean;
  embedding_dtype?: string;
  vocabulary_quantization?: number;
}

/** config_sentence_transformers.json. */
export interface SentenceTransformersConfigJson {
  __version__?: Record<string, string>;
  prompts?: Record<string, string>;
  default_prompt_name?: string | null;
  similarity_fn_name?: 'cosine' | 'dot' | 'euclidean' | 'manhattan' | null;
  /** not written by sentence-transformers; model2vec-rs' flat layout uses it */
  normalize?: boolean;
}
