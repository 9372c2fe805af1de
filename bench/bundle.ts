/**
 * Browser bundle size: the app of test/helpers/browser-bundle.ts (a model from bytes, encode, similarity,
 * search) bundled by esbuild for the browser with no externals, minified; its size raw and gzip (level 9), and
 * each folder's share. Budget: core + default tokenizer code ≤ 80 KB gzip (model files excluded).
 * Run: node dist/bench/bundle.js (writes the "bundle" section of bench/RESULTS.md).
 */
import { gzipSync } from 'node:zlib';
import { version as esbuildVersion } from 'esbuild';
import { bundleBrowserApp } from '../test/helpers/browser-bundle.js';
import { writeSection } from './lib.js';

const b = await bundleBrowserApp(true);
if (b.warnings.length > 0) throw new Error(`esbuild warnings: ${b.warnings.map((w) => w.text).join('; ')}`);
const gzip = gzipSync(b.code, { level: 9 }).length;
const byFolder = new Map<string, number>();
for (const output of Object.values(b.metafile.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const rel = input.replace(/^.*node_modules\/static-embed\/dist\/src\//, '');
    const folder = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) + '/' : rel;
    byFolder.set(folder, (byFolder.get(folder) ?? 0) + bytesInOutput);
  }
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const rows = [...byFolder]
  .filter(([, n]) => n > 0)
  .sort((x, y) => y[1] - x[1])
  .map(([f, n]) => `| \`${f}\` | ${kb(n)} |`);
const body = `## Browser bundle size

\`node dist/bench/bundle.js\`: an app importing \`static-embed\` (\`StaticModel.fromBytes\`, \`encode\`, \`similarity\`,
\`semanticSearch\`; test/helpers/browser-bundle.ts) bundled by esbuild ${esbuildVersion} (\`--bundle --platform=browser
--format=esm --minify\`, no externals). Model files are not part of it (they are fetched or passed as bytes).

| bundle | size |
|---|---:|
| minified | ${kb(b.code.length)} |
| minified + gzip (level 9) | **${kb(gzip)}** (budget 80 KB) |

Minified bytes by folder of \`src/\` (the tokenizer's share is mostly its Unicode tables):

| folder | minified |
|---|---:|
${rows.join('\n')}
`;
console.log(body);
console.log(`wrote ${writeSection('bundle', body)}`);
