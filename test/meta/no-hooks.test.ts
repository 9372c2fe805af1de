/** No module of src/ keeps a hook another sets (ARCHITECTURE.md, "Runtime wiring"): a source scan with TypeScript. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../helpers/shared.js';

const isLet = (s: ts.VariableStatement) => (s.declarationList.flags & ts.NodeFlags.Let) !== 0;
const exported = (n: ts.Node) =>
  ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The identifier an assignment target starts from (`x`, `x.y`, `x[i]`), if any. */
function rootName(e: ts.Expression): string | undefined {
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isParenthesizedExpression(e))
    e = e.expression;
  return ts.isIdentifier(e) ? e.text : undefined;
}

/** The module-level `let` names that `body` assigns (=, op=, ++, --). */
function assignedLets(body: ts.Node, lets: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    let target: ts.Expression | undefined;
    if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    )
      target = n.left;
    else if (
      (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
    )
      target = n.operand;
    const name = target && rootName(target);
    if (name !== undefined && lets.has(name)) found.push(name);
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** "name: assigns x" for each exported set[A-Z]… function of a module that assigns one of its module-level lets. */
function hooksIn(source: string, file = 'module.ts'): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lets = new Set<string>();
  const functions = new Map<string, ts.Node>();
  const exportedNames = new Set<string>();
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        if (isLet(s)) lets.add(d.name.text);
        const init = d.initializer;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          functions.set(d.name.text, init);
          if (exported(s)) exportedNames.add(d.name.text);
        }
      }
    } else if (ts.isFunctionDeclaration(s) && s.name) {
      functions.set(s.name.text, s);
      if (exported(s)) exportedNames.add(s.name.text);
    } else if (ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) exportedNames.add((e.propertyName ?? e.name).text);
    }
  }
  const hooks: string[] = [];
  for (const [name, fn] of functions) {
    if (!/^set[A-Z]/.test(name) || !exportedNames.has(name)) continue;
    const assigned = assignedLets(fn, lets);
    if (assigned.length > 0) hooks.push(`${name}: assigns ${[...new Set(assigned)].join(', ')}`);
  }
  return hooks;
}

describe('module-level hooks', () => {
  test('the scan finds a set… function that assigns a module-level let, in each form', () => {
    assert.deepEqual(hooksIn('let policy = 1;\nexport function setPolicy(v: number) { policy = v; }'), [
      'setPolicy: assigns policy',
    ]);
    assert.deepEqual(hooksIn('let n = 0;\nexport const setN = () => { n++; };'), ['setN: assigns n']);
    assert.deepEqual(hooksIn('let o = { a: 1 };\nfunction setA(v: number) { o.a = v; }\nexport { setA };'), [
      'setA: assigns o',
    ]);
  });

  test('the scan passes setters of constants, of objects and private ones', () => {
    assert.deepEqual(hooksIn('const c = 1;\nexport function setUp() { return c; }'), []);
    assert.deepEqual(hooksIn('let x = 1;\nfunction setX(v: number) { x = v; }\nsetX(2);'), []);
    assert.deepEqual(hooksIn('export class A { x = 1; setX(v: number) { this.x = v; } }'), []);
  });

  test('no module of src/ exports a set… function that assigns its module-level let', () => {
    const files = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .sort();
    assert.ok(files.length > 100, `src/ read: ${files.length} files`);
    const found = files.flatMap((f) =>
      hooksIn(readFileSync(join(REPO_ROOT, 'src', f), 'utf8'), f).map((h) => `src/${f}: ${h}`),
    );
    assert.deepEqual(found, [], 'module-level hooks (pass the value explicitly instead)');
  });
});
