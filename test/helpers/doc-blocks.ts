/** The fenced code blocks of README.md, docs/*.md and the `@example`s of src/: which run and how. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './shared.js';

/** Fences that run: ts/js as ES modules in Node, bash/sh as commands. */
export const RUN_LANGS = ['ts', 'js', 'bash', 'sh'] as const;
/** Fences that are shown, never run: output, file contents, formats. */
export const SHOWN_LANGS = ['text', 'json', 'jsonl', 'csv', 'tsv', 'html'] as const;

export interface DocBlock {
  page: string;
  /** 1-based line of the opening fence */
  line: number;
  lang: string;
  code: string;
}

/** README.md and every docs/*.md, relative to the repository. */
export function docPages(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', ...docs.sort().map((f) => `docs/${f}`)];
}

/** Every fenced block of a page, in order (``` fences; the language is the first word of the info string). */
export function blocksOf(page: string, text = readFileSync(join(REPO_ROOT, page), 'utf8')): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(open[1]!.length));
    if (i >= lines.length) throw new Error(`${page}:${start + 1}: a code fence is never closed`);
    blocks.push({ page, line: start + 1, lang: open[2]!, code: body.join('\n') + '\n' });
  }
  return blocks;
}

/** The outputs a ts/js block promises: `// → TEXT` after a statement, each one a line of its stdout, in order. */
export function promisedOutput(code: string): string[] {
  return [...code.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!.trim());
}

/** Whether `want` appears in `lines` as a subsequence (each promised line after the previous one). */
export function inOrder(lines: string[], want: string[]): string | undefined {
  let at = 0;
  for (const w of want) {
    while (at < lines.length && lines[at]!.trim() !== w) at++;
    if (at === lines.length) return w;
    at++;
  }
  return undefined;
}

/** A ts/js block as an ES module Node runs (types erased, imports kept). */
export function toModule(code: string): string {
  return ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
}

/** Shell functions that make `static-embed` and `npx static-embed` this checkout's CLI. */
export function shellPrelude(): string {
  const cli = JSON.stringify(join(REPO_ROOT, 'bin', 'static-embed.js'));
  return [
    'set -eo pipefail',
    `static-embed() { node ${cli} "$@"; }`,
    `npx() { if [ "$1" = static-embed ]; then shift; node ${cli} "$@"; else command npx "$@"; fi; }`,
    '',
  ].join('\n');
}

/** A command of a shell block: its text (continuation lines joined) and whether it starts the server. */
export interface ShellStep {
  command: string;
  serve: boolean;
}

/** The commands of a shell block, in order; `static-embed serve …` lines (after VAR=value prefixes) start a server. */
export function shellSteps(code: string): ShellStep[] {
  const steps: ShellStep[] = [];
  let pending = '';
  for (const raw of code.split('\n')) {
    pending += raw;
    if (/\\$/.test(raw)) {
      pending = pending.slice(0, -1) + ' ';
      continue;
    }
    const command = pending;
    pending = '';
    if (command.trim() === '') continue;
    const serve = /^\s*(?:\w+=\S*\s+)*(?:npx\s+)?static-embed\s+serve\b/.test(command);
    const last = steps[steps.length - 1];
    if (!serve && last && !last.serve) last.command += '\n' + command;
    else steps.push({ command, serve });
  }
  return steps;
}

/** An `@example` block of src/: `page` is the file, `line` the fence's; `declares` what the comment documents. */
export interface ExampleBlock extends DocBlock {
  declares: string | undefined;
}

/** Every `@example` of a JSDoc comment in src/ whose code is a ```ts fence. */
export function exampleBlocks(dir = join(REPO_ROOT, 'src')): ExampleBlock[] {
  const blocks: ExampleBlock[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) blocks.push(...exampleBlocks(path));
    else if (e.name.endsWith('.ts'))
      blocks.push(...examplesOf(path.slice(REPO_ROOT.length + 1), readFileSync(path, 'utf8')));
  }
  return blocks;
}

function examplesOf(page: string, text: string): ExampleBlock[] {
  const lines = text.split('\n');
  const out: ExampleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i]!)) continue;
    // the comment's text from the tag to its end, without the leading " * "
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !/^\s*\*\//.test(lines[j]!) && !/^\s*\*\s*@\w/.test(lines[j]!); j++)
      body.push(lines[j]!.replace(/^\s*\* ?/, ''));
    // the declaration after the comment (past its end and any line comments)
    let k = i;
    while (k < lines.length && !/\*\//.test(lines[k]!)) k++;
    while (k + 1 < lines.length && /^\s*\/\//.test(lines[k + 1]!)) k++;
    const declares = /\b(?:class|function|const|let)\s+(\w+)/.exec(lines[k + 1] ?? '')?.[1];
    for (const b of blocksOf(page, body.join('\n'))) out.push({ ...b, line: i + 1 + b.line, declares });
  }
  return out;
}

/** TypeScript's diagnostics for the given files, as tsconfig.json's strict settings report them: "file:line: text". */
export function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2024.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    return `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ${text}`;
  });
}
