/** This static-embed's version (package.json's `version`; a test keeps the two equal). Imports nothing. */
export const STATIC_EMBED_VERSION = '0.1.0';
