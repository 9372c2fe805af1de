/**
 * The public API is what docs/library.md's API reference documents, name for name: every export of every entry point
 * (values and types, as TypeScript sees them) is listed there, and nothing else is exported. The root entry stays
 * small (≤ 40 runtime names); kernels, workspaces, buffers and test oracles are not reachable from it; the
 * package's exports map resolves each subpath (Node self-reference); StaticModel's internals are private.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { REPO_ROOT, repoFile } from '../helpers/shared.js';

/** Entry file (under src/) → the API reference sections that document it ("`name`" headings, optionally "in Node"). */
const ENTRIES: Record<string, string[]> = {
  'index.ts': ['static-embed'],
  'node.ts': ['static-embed', 'static-embed in Node'],
  'browser.ts': ['static-embed', 'static-embed in browsers'],
  'entries/tokenizer.ts': ['static-embed/tokenizer'],
  'entries/eval.ts': ['static-embed/eval'],
  'entries/eval-node.ts': ['static-embed/eval', 'static-embed/eval in Node'],
  'entries/train.ts': ['static-embed/train'],
  'entries/train-node.ts': ['static-embed/train', 'static-embed/train in Node'],
  'entries/server.ts': ['static-embed/server'],
  'entries/server-node.ts': ['static-embed/server', 'static-embed/server in Node'],
  'entries/langchain.ts': ['static-embed/langchain'],
  'entries/ai.ts': ['static-embed/ai'],
  'entries/lancedb-node.ts': ['static-embed/lancedb'],
};

/** Names that must never be reachable from the root entry (internals the issue named). */
const INTERNAL = [
  'GemmWorkspace',
  'ThreadedGemmWorkspace',
  'MnrlKernel',
  'sparseFromMap',
  'epochBatches',
  'IdBuffer',
  'UNICODE_SOURCE',
  'lbfgs',
  'parseTable',
  'MicroBatcher',
  'TopK',
  'Random',
  'dotsReference',
  'dotsI8Reference',
  'hammingReference',
  'matryoshkaMnrl',
  'resolveLayout',
  'readSafetensors',
];

/** A TypeScript program over source files, for its type checker (as tsconfig.json compiles them). */
function checkerProgram(files: string[]): ts.Program {
  return ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  });
}

/** docs/library.md "## API reference": section heading → names in the first column of its tables. */
function documented(): Map<string, Set<string>> {
  const readme = readFileSync(repoFile('docs/library.md'), 'utf8');
  const start = readme.indexOf('\n## API reference');
  assert.ok(start >= 0, 'docs/library.md has an "## API reference" section');
  const end = readme.indexOf('\n## ', start + 1);
  const sections = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of readme.slice(start, end < 0 ? undefined : end).split('\n')) {
    const h = /^### `([^`]+)`(?: (in Node|in browsers))?/.exec(line);
    if (h) {
      current = new Set();
      sections.set(h[2] ? `${h[1]} ${h[2]}` : h[1]!, current);
      continue;
    }
    const cell = /^\| ([^|]+) \|/.exec(line);
    if (cell && current) for (const m of cell[1]!.matchAll(/`([A-Za-z_][\w]*)`/g)) current.add(m[1]!);
  }
  return sections;
}

/** Every export of each entry as TypeScript sees it: name → whether it is a value (else a type only). */
function exportsOf(): Map<string, Map<string, boolean>> {
  const files = Object.keys(ENTRIES).map((f) => join(REPO_ROOT, 'src', f));
  const program = checkerProgram(files);
  const checker = program.getTypeChecker();
  const out = new Map<string, Map<string, boolean>>();
  for (const f of Object.keys(ENTRIES)) {
    const sf = program.getSourceFile(join(REPO_ROOT, 'src', f))!;
    const names = new Map<string, boolean>();
    for (const s of checker.getExportsOfModule(checker.getSymbolAtLocation(sf)!)) {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      names.set(s.name, (target.flags & ts.SymbolFlags.Value) !== 0);
    }
    out.set(f, names);
  }
  return out;
}

test('every export of every entry point is documented in the API reference of docs/library.md, and only those', async () => {
  const docs = documented();
  const all = exportsOf();
  for (const [file, sections] of Object.entries(ENTRIES)) {
    const want = new Set<string>();
    for (const s of sections) {
      assert.ok(
        docs.has(s),
        `docs/library.md's API reference has a "### \`${s.replace(/ in .*/, '')}\`" section for ${s}`,
      );
      for (const n of docs.get(s)!) want.add(n);
    }
    const have = all.get(file)!;
    const undocumented = [...have.keys()].filter((n) => !want.has(n)).sort();
    const missing = [...want].filter((n) => !have.has(n)).sort();
    assert.deepEqual(undocumented, [], `src/${file} exports names docs/library.md does not document`);
    assert.deepEqual(missing, [], `docs/library.md documents names src/${file} does not export`);
    // what TypeScript calls a value is what the compiled module exports at run time
    const runtime = Object.keys(await import(join(REPO_ROOT, 'dist', 'src', file.replace(/\.ts$/, '.js')))).sort();
    const values = [...have]
      .filter(([, v]) => v)
      .map(([n]) => n)
      .sort();
    assert.deepEqual(runtime, values, `src/${file}: run-time exports`);
  }
});

test('the root entry is small: ≤ 40 run-time names in every runtime, no internals', async () => {
  for (const file of ['index.js', 'node.js', 'browser.js']) {
    const names = Object.keys(await import(join(REPO_ROOT, 'dist', 'src', file)));
    assert.ok(names.length <= 40, `${file}: ${names.length} names`);
    for (const n of INTERNAL) assert.ok(!names.includes(n), `${file} must not export ${n}`);
  }
});

test('the exports map resolves every subpath by package name (Node conditions)', async () => {
  const pkg = JSON.parse(readFileSync(repoFile('package.json'), 'utf8')) as { exports: Record<string, unknown> };
  assert.deepEqual(Object.keys(pkg.exports).sort(), [
    '.',
    './ai',
    './eval',
    './kernel-worker',
    './lancedb',
    './langchain',
    './package.json',
    './server',
    './tokenizer',
    './train',
    './web-worker',
  ]);
  // the Web Worker scripts, for bundlers that need them as entry points (esbuild): files, not modules to import
  for (const w of ['web-worker', 'kernel-worker'])
    assert.equal(
      import.meta.resolve(`static-embed/${w}`),
      pathToFileURL(repoFile(`dist/src/runtime/web/${w}.js`)).href,
    );
  const self = async (spec: string) => Object.keys(await import(spec)).sort();
  assert.deepEqual(await self('static-embed'), Object.keys(await import('../../src/node.js')).sort());
  assert.ok((await self('static-embed/train')).includes('ThreadedGemmWorkspace'), 'Node gets train-node');
  assert.ok((await self('static-embed/server')).includes('serveNode'), 'Node gets server-node');
  assert.ok((await self('static-embed/eval')).includes('runEvaluation'), 'Node gets eval-node');
  assert.ok((await self('static-embed/tokenizer')).includes('Tokenizer'));
  assert.ok((await self('static-embed/langchain')).includes('StaticEmbeddings'));
  assert.ok((await self('static-embed/ai')).includes('staticEmbedding'));
  assert.ok((await self('static-embed/lancedb')).includes('StaticEmbedFunction'));
});

test("StaticModel's internals are private: not on its public type", () => {
  const file = join(REPO_ROOT, 'src', 'model', 'static-model.ts');
  const program = checkerProgram([file]);
  const checker = program.getTypeChecker();
  const cls = checker
    .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!)
    .find((s) => s.name === 'StaticModel')!;
  const isPublic = (s: ts.Symbol) => {
    const d = s.declarations?.[0];
    const flags = d ? ts.getCombinedModifierFlags(d as ts.Declaration) : 0;
    return !(flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !s.name.startsWith('#');
  };
  const instance = checker
    .getPropertiesOfType(checker.getDeclaredTypeOfSymbol(cls))
    .filter(isPublic)
    .map((s) => s.name);
  const statics = checker
    .getPropertiesOfType(checker.getTypeOfSymbolAtLocation(cls, cls.valueDeclaration!))
    .filter(isPublic)
    .map((s) => s.name)
    .filter((n) => n !== 'prototype');
  for (const n of ['encode', 'encodeAsync', 'similarity', 'info', 'table', 'dim']) assert.ok(instance.includes(n), n);
  for (const n of ['fromBytes', 'fromTable', 'fromPretrained']) assert.ok(statics.includes(n), n);
  for (const n of ['core', 'kernel', 'encodeRange', 'tokenizeInto', 'pool', 'toShared', 'resolved', 'medianLength']) {
    assert.ok(!instance.includes(n), `StaticModel.prototype.${n} is public`);
  }
  for (const n of ['fromShared', 'fromParts']) assert.ok(!statics.includes(n), `StaticModel.${n} is public`);
});
