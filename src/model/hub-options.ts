/** Options of StaticModel.fromPretrained for Hub model ids (used by each runtime's loader). */
export interface HubOptions {
  /** branch, tag or commit (default "main") */
  revision?: string;
  /** Hub URL (default $HF_ENDPOINT or https://huggingface.co) */
  endpoint?: string;
  /** access token (default $HF_TOKEN) */
  token?: string;
  /** cache folder (default $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub) */
  cacheDir?: string;
  /** never use the network (default $HF_HUB_OFFLINE) */
  offline?: boolean;
  /** re-check the Hub even when the revision is cached */
  forceDownload?: boolean;
  fetch?: typeof fetch;
}
