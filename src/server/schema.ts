/** Wire formats of the HTTP server (OpenAI embeddings API, TEI), typed verbatim; no code here. */

/** POST /v1/embeddings */
export interface OpenAIEmbeddingRequest {
  input: string | string[] | number[] | number[][];
  model?: string;
  dimensions?: number;
  encoding_format?: 'float' | 'base64';
  user?: string;
}

export interface OpenAIEmbedding {
  object: 'embedding';
  index: number;
  /** floats, or little-endian float32 bytes in base64 */
  embedding: number[] | string;
}

export interface OpenAIEmbeddingResponse {
  object: 'list';
  data: OpenAIEmbedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

/** GET /v1/models/{id} */
export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** GET /v1/models */
export interface OpenAIModelList {
  object: 'list';
  data: OpenAIModel[];
}

/** Errors of the OpenAI routes */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** POST /embed (TEI) */
export interface TeiEmbedRequest {
  inputs: string | string[];
  normalize?: boolean;
  truncate?: boolean;
  truncation_direction?: 'Left' | 'Right' | 'left' | 'right';
  dimensions?: number;
  prompt_name?: string | null;
}

/** POST /similarity (TEI) */
export interface TeiSimilarityRequest {
  inputs: { source_sentence: string; sentences: string[] };
  truncate?: boolean;
  truncation_direction?: 'Left' | 'Right' | 'left' | 'right';
  prompt_name?: string | null;
}

/** Errors of the TEI routes */
export interface TeiErrorBody {
  error: string;
  error_type: string;
}

/** GET /info (TEI): the served (default) model and the router's limits */
export interface TeiInfo {
  model_id: string;
  model_sha: string | null;
  model_dtype: string;
  model_type: { embedding: { pooling: string } };
  max_concurrent_requests: number;
  max_input_length: number;
  max_batch_tokens: number;
  max_batch_requests: number | null;
  max_client_batch_size: number;
  auto_truncate: boolean;
  tokenization_workers: number;
  version: string;
  sha: string | null;
  docker_label: string | null;
}
