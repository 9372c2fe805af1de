/** src/ keeps the shape ARCHITECTURE.md ("Code shape") sets, as scripts/code-shape.mjs counts it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './helpers/shared.js';

interface Shape {
  longFunctions: { file: string; line: number; name: string; lines: number }[];
  longComments: { file: string; line: number; chars: number }[];
  longHeaders: { file: string; lines: number }[];
}

let measured: Shape | undefined;
const shape = (): Shape =>
  (measured ??= JSON.parse(
    execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'code-shape.mjs'), '--json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as Shape);

test('src/ has at most 3 functions over 80 lines, 10 long comments and no long header', { timeout: 600_000 }, () => {
  const s = shape();
  const show = (xs: object[]) => xs.map((x) => JSON.stringify(x)).join('\n');
  assert.ok(s.longFunctions.length <= 3, `functions over 80 lines:\n${show(s.longFunctions)}`);
  assert.ok(s.longComments.length <= 10, `comment blocks over 300 characters:\n${show(s.longComments)}`);
  assert.deepEqual(s.longHeaders, [], 'file headers over 2 lines');
});

test(
  'every function over 80 lines and long comment is an exception ARCHITECTURE.md lists',
  { timeout: 600_000 },
  () => {
    const s = shape();
    const architecture = readFileSync(join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8');
    const codeShape = architecture.slice(architecture.indexOf('## Code shape'));
    for (const f of [...s.longFunctions, ...s.longComments])
      assert.ok(
        codeShape.includes(`\`${f.file.replace(/^src\//, '')}\``),
        `${f.file}:${f.line} is not listed in "Code shape"`,
      );
  },
);

test('every ARCHITECTURE.md section the code names exists', () => {
  const sections = new Set(
    [...readFileSync(join(REPO_ROOT, 'ARCHITECTURE.md'), 'utf8').matchAll(/^## (.+)$/gm)].map((m) => m[1]!),
  );
  const files = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const f of files)
    for (const m of readFileSync(join(REPO_ROOT, 'src', f), 'utf8').matchAll(/ARCHITECTURE\.md, "([^"]+)"/g))
      assert.ok(sections.has(m[1]!), `src/${f} names a section "${m[1]}" that ARCHITECTURE.md does not have`);
});
