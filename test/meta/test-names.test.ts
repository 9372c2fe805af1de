/** The suite's test names stay short and one behaviour each (scripts/test-names.mjs reads them from test/). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { repoFile } from '../helpers/shared.js';

interface NamedTest {
  file: string;
  line: number;
  name: string;
}
interface NameReport {
  tests: number;
  medianLength: number;
  withSemicolon: NamedTest[];
}
const { MEDIAN_LIMIT, testNameReport } = (await import(pathToFileURL(repoFile('scripts/test-names.mjs')).href)) as {
  MEDIAN_LIMIT: number;
  testNameReport: (dir: string) => NameReport;
};
const report = testNameReport(repoFile('test'));

describe('test names', () => {
  test('the script finds the tests', () => {
    assert.ok(report.tests > 300, `${report.tests} tests found`);
  });

  test(`the median name is at most ${MEDIAN_LIMIT} characters`, () => {
    assert.ok(report.medianLength <= MEDIAN_LIMIT, `median ${report.medianLength}: run node scripts/test-names.mjs`);
  });

  test('no name joins behaviours with a semicolon', () => {
    const joined = report.withSemicolon.map((t) => `${t.file}:${t.line} ${t.name}`);
    assert.deepEqual(joined, [], 'split each into one test per behaviour, inside a describe');
  });
});
