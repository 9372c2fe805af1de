/**
 * Model files in Cache Storage, keyed by URL at a resolved revision, with a manifest written last.
 * See ARCHITECTURE.md, "Loading and downloads".
 */

/** What the cache remembers about one requested model (Hub id at a revision, or a URL). */
export interface CacheManifest {
  format: 'static-embed-cache-1';
  /** URL prefix of the files (the Hub's resolve URL at the commit, or the folder's URL) */
  base: string;
  /** the Hub commit the revision resolved to, when known */
  commit: string | null;
  /** path → size in bytes of every file the model needs */
  files: Record<string, number>;
}

export interface ModelCache {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  manifest(key: string): Promise<CacheManifest | undefined>;
  putManifest(key: string, m: CacheManifest): Promise<void>;
}

/** The default Cache Storage name. */
export const CACHE_NAME = 'static-embed-models';

/** Opens the cache (`true`: the default name; a string: that name; `false`: none). Undefined when unavailable. */
export async function openModelCache(option: boolean | string | undefined): Promise<ModelCache | undefined> {
  if (option === false) return undefined;
  const storage = (globalThis as { caches?: CacheStorage }).caches;
  if (!storage || typeof storage.open !== 'function') return undefined;
  let cache: Cache;
  try {
    cache = await storage.open(typeof option === 'string' ? option : CACHE_NAME);
  } catch {
    return undefined; // e.g. an opaque origin or disabled storage
  }
  const cacheable = (key: string): boolean => /^https?:/i.test(key);
  const store: ModelCache = {
    async get(key) {
      if (!cacheable(key)) return undefined;
      try {
        const res = await cache.match(key);
        return res ? new Uint8Array(await res.arrayBuffer()) : undefined;
      } catch {
        return undefined;
      }
    },
    async put(key, bytes) {
      if (!cacheable(key)) return;
      try {
        await cache.put(
          key,
          new Response(bytes as Uint8Array<ArrayBuffer>, {
            headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
          }),
        );
      } catch {
        // quota exceeded or storage refused: the model still loads, only the next load downloads again
      }
    },
    async manifest(key) {
      const b = await store.get(key);
      if (!b) return undefined;
      try {
        const m = JSON.parse(new TextDecoder().decode(b)) as CacheManifest;
        return m &&
          m.format === 'static-embed-cache-1' &&
          typeof m.base === 'string' &&
          m.files &&
          typeof m.files === 'object'
          ? m
          : undefined;
      } catch {
        return undefined;
      }
    },
    async putManifest(key, m) {
      await store.put(key, new TextEncoder().encode(JSON.stringify(m)));
    },
  };
  return store;
}
