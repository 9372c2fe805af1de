/**
 * Options of StaticModel.fromPretrained for Hub ids and URLs, used by each runtime's loader.
 * See ARCHITECTURE.md, "Loading and downloads".
 */
export interface HubOptions {
  /** branch, tag or commit (default "main") */
  revision?: string;
  /** Hub URL or mirror (default: Node $HF_ENDPOINT, else https://huggingface.co) */
  endpoint?: string;
  /** access token for private or gated models (default: Node $HF_TOKEN) */
  token?: string;
  /** Node: cache folder (default $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub) */
  cacheDir?: string;
  /** Node: never use the network (default $HF_HUB_OFFLINE) */
  offline?: boolean;
  /** re-check the Hub (or URL) even when the revision is cached */
  forceDownload?: boolean;
  /** the fetch implementation (default globalThis.fetch) */
  fetch?: typeof fetch;
  /** Browsers, workers, edge: Cache Storage — true (default) = the "static-embed-models" cache, a name, or false */
  cache?: boolean | string;
  /** Browsers, workers, edge: called as each file's bytes arrive (and once per file read from the cache) */
  onProgress?: (progress: DownloadProgress) => void;
  /** Browsers, workers, edge: aborts the load (a StaticEmbedError with code ABORTED) */
  signal?: AbortSignal;
  /** seconds a metadata request (HEAD, Hub API) may take (default Node $HF_HUB_ETAG_TIMEOUT, else 10) */
  etagTimeout?: number;
  /** seconds a download may go without a byte (default Node $HF_HUB_DOWNLOAD_TIMEOUT, else 10) */
  downloadTimeout?: number;
  /**
   * the most bytes one file may have (default Node $STATIC_EMBED_MAX_DOWNLOAD_BYTES, else 8 GiB for the files the
   * Node Hub cache streams to disk and 512 MiB for a file held in memory: URL loads, browsers)
   */
  maxDownloadBytes?: number;
}

/** Progress of one file of a model being loaded. */
export interface DownloadProgress {
  /** path of the file inside the model folder */
  file: string;
  /** where it comes from (its URL, which is also its key in the cache) */
  url: string;
  /** bytes received so far */
  loaded: number;
  /** size in bytes, or undefined when the server did not say */
  total: number | undefined;
  /** true when the bytes came from the cache (no network) */
  cached: boolean;
}
