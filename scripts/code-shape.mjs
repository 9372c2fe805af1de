#!/usr/bin/env node
/**
 * The shape of src/: functions over 80 lines (as ESLint's max-lines-per-function counts them, exceptions included),
 * comment blocks over 300 characters and file headers over 2 lines. `node scripts/code-shape.mjs [--json] [--comments-only]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Generated tables and WebAssembly modules: not read as code, not counted. */
export const GENERATED = ['src/kernels/*-wasm.ts', 'src/tokenizer/unicode-tables.ts', 'src/cli/io/wide-chars.ts'];
/** The rule as eslint.config.js sets it for src/. */
export const FUNCTION_RULE = { max: 80, skipBlankLines: true, skipComments: true };
export const MAX_COMMENT_CHARS = 300;
export const MAX_HEADER_LINES = 2;

const isGenerated = (rel) =>
  GENERATED.some((g) => new RegExp(`^${g.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(rel));

function sourceFiles(dir = join(ROOT, 'src')) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.filter((p) => !isGenerated(relative(ROOT, p))).sort();
}

/**
 * A comment's prose, one entry per line: its text without the markers (`//`, `/*`, ` * `, `*\/`) and without its
 * `@example` (code, which npm test type-checks and runs).
 */
function proseLines(comment) {
  const lines = (comment.type === 'Line' ? [comment.value] : comment.value.split('\n')).map((l) =>
    l.replace(/^\s*\*?\s?/, '').trimEnd(),
  );
  const example = lines.findIndex((l) => l.startsWith('@example'));
  const prose = example >= 0 ? lines.slice(0, example) : lines;
  while (prose.length > 0 && prose[0] === '') prose.shift();
  while (prose.length > 0 && prose[prose.length - 1] === '') prose.pop();
  return prose;
}

/** Comment blocks: a block comment, or a run of line comments on consecutive lines with only spaces between them. */
function commentBlocks(text, comments) {
  const blocks = [];
  for (const c of comments) {
    const last = blocks[blocks.length - 1];
    const prev = last?.comments[last.comments.length - 1];
    const joins =
      prev &&
      prev.type === 'Line' &&
      c.type === 'Line' &&
      c.loc.start.line === prev.loc.end.line + 1 &&
      /^\s*$/.test(text.slice(prev.range[1], c.range[0]));
    if (joins) last.comments.push(c);
    else blocks.push({ comments: [c] });
  }
  return blocks.map((b) => {
    const lines = b.comments.flatMap(proseLines);
    return { line: b.comments[0].loc.start.line, start: b.comments[0].range[0], lines, chars: lines.join('\n').length };
  });
}

/** The comment blocks of one file and the length of its header. */
function comments(file) {
  const text = readFileSync(file, 'utf8');
  const ast = tseslint.parser.parseForESLint(text, { comment: true, loc: true, range: true, jsx: false });
  const blocks = commentBlocks(text, ast.ast.comments ?? []);
  const firstCode = ast.ast.body.length > 0 ? ast.ast.body[0].range[0] : text.length;
  // the header: the file's first comment block, when it comes before any code
  const header = blocks.length > 0 && blocks[0].start < firstCode ? blocks[0].lines : [];
  return { blocks, headerLines: header.length };
}

/** Functions over FUNCTION_RULE.max lines, as ESLint counts them, with inline exceptions ignored (so they are listed). */
async function longFunctions(files) {
  const eslint = new ESLint({
    cwd: ROOT,
    allowInlineConfig: false,
    overrideConfig: { files: ['src/**/*.ts'], rules: { 'max-lines-per-function': ['error', FUNCTION_RULE] } },
    ruleFilter: ({ ruleId }) => ruleId === 'max-lines-per-function',
  });
  const results = await eslint.lintFiles(files);
  const out = [];
  for (const r of results)
    for (const m of r.messages) {
      const found = /^(.*) has too many lines \((\d+)\)/.exec(m.message);
      if (found) out.push({ file: relative(ROOT, r.filePath), line: m.line, name: found[1], lines: Number(found[2]) });
      else if (m.fatal) throw new Error(`${r.filePath}:${m.line}: ${m.message}`);
    }
  return out.sort((a, b) => b.lines - a.lines);
}

/** Everything the script counts, as lists. */
export async function codeShape({ functions = true } = {}) {
  const files = sourceFiles();
  const longComments = [];
  const longHeaders = [];
  for (const f of files) {
    const rel = relative(ROOT, f);
    const c = comments(f);
    for (const b of c.blocks)
      if (b.chars > MAX_COMMENT_CHARS) longComments.push({ file: rel, line: b.line, chars: b.chars });
    if (c.headerLines > MAX_HEADER_LINES) longHeaders.push({ file: rel, lines: c.headerLines });
  }
  longComments.sort((a, b) => b.chars - a.chars);
  longHeaders.sort((a, b) => b.lines - a.lines);
  return { files: files.length, longFunctions: functions ? await longFunctions(files) : [], longComments, longHeaders };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const shape = await codeShape({ functions: !process.argv.includes('--comments-only') });
  if (process.argv.includes('--json')) console.log(JSON.stringify(shape, null, 2));
  else {
    console.log(`${shape.files} source files in src/ (generated tables and Wasm modules aside)`);
    console.log(`\nfunctions over ${FUNCTION_RULE.max} lines: ${shape.longFunctions.length}`);
    for (const f of shape.longFunctions) console.log(`  ${f.lines}\t${f.file}:${f.line} ${f.name}`);
    console.log(`\ncomment blocks over ${MAX_COMMENT_CHARS} characters: ${shape.longComments.length}`);
    for (const c of shape.longComments) console.log(`  ${c.chars}\t${c.file}:${c.line}`);
    console.log(`\nfile headers over ${MAX_HEADER_LINES} lines: ${shape.longHeaders.length}`);
    for (const h of shape.longHeaders) console.log(`  ${h.lines}\t${h.file}`);
  }
}
