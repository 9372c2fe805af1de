/** Every relative link of README.md and docs/*.md reaches a file of the repository, and an #anchor a heading there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { docPages } from '../helpers/doc-blocks.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** A page's text without its fenced code blocks (links there are code, not links). */
function prose(text: string): string {
  return text.replace(/^\s*```[\s\S]*?^\s*```\s*$/gm, '');
}

function anchors(page: string): Set<string> {
  const text = prose(readFileSync(join(REPO_ROOT, page), 'utf8'));
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

test('relative links of README.md and docs/ reach files and headings that exist', () => {
  const broken: string[] = [];
  for (const page of docPages()) {
    const text = prose(readFileSync(join(REPO_ROOT, page), 'utf8'));
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? page : normalize(join(dirname(page), path));
      if (!existsSync(join(REPO_ROOT, file))) broken.push(`${page}: ${target} (no ${file})`);
      else if (anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor))
        broken.push(`${page}: ${target} (no heading #${anchor} in ${file})`);
    }
  }
  assert.deepEqual(broken, []);
});
