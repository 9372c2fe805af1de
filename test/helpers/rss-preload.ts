/** Preloaded into a child (NODE_OPTIONS=--import): writes its peak RSS in bytes to $STATIC_EMBED_TEST_RSS_FILE at exit. */
import { writeFileSync } from 'node:fs';

const file = process.env.STATIC_EMBED_TEST_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
