#!/usr/bin/env node
/** The names of the tests under test/ (parsed, not run) and the limits they keep: median ≤ 80 characters, no ";". */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MEDIAN_LIMIT = 80;

/** Every `*.test.ts` file under `dir`, sorted. */
export function testFiles(dir) {
  const files = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...testFiles(p));
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
  return files.sort();
}

/** A name as written: string literals joined, `${…}` kept as its source text. */
function nameText(node, source) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return nameText(node.left, source) + nameText(node.right, source);
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) text += nameText(span.expression, source) + span.literal.text;
    return text;
  }
  if (ts.isParenthesizedExpression(node)) return nameText(node.expression, source);
  if (ts.isConditionalExpression(node)) {
    // one of two names: the longer counts
    const [a, b] = [nameText(node.whenTrue, source), nameText(node.whenFalse, source)];
    return [...a].length >= [...b].length ? a : b;
  }
  return `\${${node.getText(source)}}`;
}

/** `test(…)`, `it(…)`, `test.only(…)` and a context's `t.test(…)`: the call is a test, not a suite. */
function isTestCall(node) {
  if (!ts.isCallExpression(node) || node.arguments.length < 2) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'test' || callee.text === 'it';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  const base = callee.expression;
  if (!ts.isIdentifier(base)) return false;
  if (base.text === 'test' || base.text === 'it') return ['only', 'skip', 'todo'].includes(name);
  return name === 'test';
}

/** The tests of one file: name, line, and the test body's lines and `assert` calls. */
export function testsOf(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const tests = [];
  const visit = (node) => {
    if (isTestCall(node)) {
      const body = node.arguments[node.arguments.length - 1];
      let asserts = 0;
      const count = (n) => {
        if (ts.isCallExpression(n) && /^assert\b/.test(n.expression.getText(source))) asserts++;
        ts.forEachChild(n, count);
      };
      count(body);
      const line = (pos) => source.getLineAndCharacterOfPosition(pos).line;
      tests.push({
        file,
        line: line(node.getStart(source)) + 1,
        name: nameText(node.arguments[0], source),
        lines: line(body.getEnd()) - line(body.getStart(source)) + 1,
        asserts,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return tests;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Counts over every test under `dir`, and the names that break the rules. */
export function testNameReport(dir) {
  const tests = testFiles(dir).flatMap(testsOf);
  const lengths = tests.map((t) => [...t.name].length);
  return {
    tests: tests.length,
    medianLength: median(lengths),
    over80: lengths.filter((n) => n > MEDIAN_LIMIT).length,
    meanLines: mean(tests.map((t) => t.lines)),
    meanAsserts: mean(tests.map((t) => t.asserts)),
    withSemicolon: tests.filter((t) => t.name.includes(';')),
    longest: [...tests].sort((a, b) => [...b.name].length - [...a.name].length).slice(0, 10),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const r = testNameReport(join(root, 'test'));
  const where = (t) => `  ${relative(root, t.file)}:${t.line} (${[...t.name].length}) ${t.name}`;
  console.log(`tests: ${r.tests}`);
  console.log(`median name length: ${r.medianLength} (limit ${MEDIAN_LIMIT}); names over ${MEDIAN_LIMIT}: ${r.over80}`);
  console.log(
    `mean lines per test: ${r.meanLines.toFixed(1)}; mean assert calls per test: ${r.meanAsserts.toFixed(1)}`,
  );
  console.log(`names with ";": ${r.withSemicolon.length}`);
  for (const t of r.withSemicolon) console.log(where(t));
  if (process.argv.includes('--longest')) for (const t of r.longest) console.log(where(t));
  const ok = r.medianLength <= MEDIAN_LIMIT && r.withSemicolon.length === 0;
  process.exit(ok ? 0 : 1);
}
