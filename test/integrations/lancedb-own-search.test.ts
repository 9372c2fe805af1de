/**
 * A table built by `static-embed index build`, searched with LanceDB's own API in another process (only
 * `import 'static-embed/lancedb'`, no explicit registration, no distance type): the same top 10 as `index search`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const CORPUS = [
  'Regular exercise strengthens the heart and lowers blood pressure.',
  'Eat plenty of vegetables and cut down on salt to protect your heart.',
  'You can cancel your subscription at any time from the account page.',
  'Your invoice is sent by email at the start of every month.',
  'The train to Berlin leaves from platform 4 at 9:15.',
  'Flights were delayed because of the storm over the Atlantic.',
  'Knead the dough for ten minutes, then let it rise for an hour.',
  'Preheat the oven to 200 degrees before baking the bread.',
  'The striker scored twice in the second half.',
  'The home team won the match on penalties.',
  'Photosynthesis turns sunlight, water and carbon dioxide into sugar.',
  'Quantum computers use qubits that can be in superposition.',
  'Smoking raises the risk of heart disease and stroke.',
  'Walking thirty minutes a day is good for cardiovascular health.',
  'Reset your password with the link we sent to your email.',
  'Our support team answers within one business day.',
  'The museum is closed on Mondays and public holidays.',
  'Tickets for the concert sold out in two hours.',
  'The river flooded the valley after a week of rain.',
  'Plant tomatoes in full sun and water them every morning.',
  'Le médecin recommande de faire du sport pour le cœur.',
  'Der Zug nach München hat zwanzig Minuten Verspätung.',
  'El equipo ganó el partido en el último minuto.',
  'Il pane fatto in casa è più buono di quello comprato.',
  'Sleep at least seven hours a night to stay healthy.',
  'Stress and lack of sleep are bad for your heart.',
  'A refund takes five to ten days to reach your bank account.',
  'The new phone has a larger battery and a better camera.',
  'Update the app to get the latest security fixes.',
  'The library lends books, films and music for free.',
];
const QUERIES = ['tips for a healthy heart', 'how do I stop paying for the service', 'baking at home', 'football'];

test("LanceDB's own table.search(text) on an `index build` table: the same top 10 as `index search`", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-own-'));
  const script = join(REPO_ROOT, 'dist', `lance-own-search-${process.pid}.mjs`);
  try {
    const db = join(dir, 'db');
    writeFileSync(join(dir, 'corpus.txt'), CORPUS.join('\n') + '\n');
    let r = await runCli(['index', 'build', '--input', join(dir, 'corpus.txt'), '--db', db, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const ours: string[][] = [];
    for (const q of QUERIES) {
      r = await runCli(['index', 'search', '--db', db, '--query', q, '--json']);
      assert.equal(r.code, 0, r.stderr);
      ours.push((JSON.parse(r.stdout) as Array<{ id: string }>).map((h) => h.id));
    }
    const heart = [1, 2, 13, 14, 21, 26].map((n) => `corpus.txt:${n}`);
    assert.ok(
      heart.includes(ours[0]![0]!),
      `a line about the heart first for "tips for a healthy heart": ${ours[0]![0]}`,
    );
    // a plain LanceDB program: the package's entry (self-reference, as an installed package resolves), no options
    writeFileSync(
      script,
      `import { connect } from '@lancedb/lancedb';
       import 'static-embed/lancedb';
       const table = await (await connect(${JSON.stringify(db)})).openTable('texts');
       const out = [];
       for (const q of ${JSON.stringify(QUERIES)}) out.push((await table.search(q).limit(10).toArray()).map((r) => r.id));
       const [row] = await table.query().limit(1).toArray();
       const norm = Math.hypot(...Array.from(row.vector));
       console.log(JSON.stringify({ out, norm }));`,
    );
    const p = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(p.status, 0, p.stderr);
    const got = JSON.parse(p.stdout.trim().split('\n').pop()!) as { out: string[][]; norm: number };
    assert.ok(Math.abs(got.norm - 1) < 1e-5, `stored vectors are unit length, got norm ${got.norm}`);
    assert.deepEqual(got.out, ours);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(script, { force: true });
  }
});

test("without the registration, LanceDB's error is one the docs explain", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-noreg-'));
  const script = join(REPO_ROOT, 'dist', `lance-noreg-${process.pid}.mjs`);
  try {
    const db = join(dir, 'db');
    writeFileSync(join(dir, 'corpus.txt'), CORPUS.slice(0, 5).join('\n') + '\n');
    const r = await runCli(['index', 'build', '--input', join(dir, 'corpus.txt'), '--db', db, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    writeFileSync(
      script,
      `import { connect } from '@lancedb/lancedb';
       const table = await (await connect(${JSON.stringify(db)})).openTable('texts');
       await table.search('heart').limit(1).toArray();`,
    );
    const p = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 120_000 });
    assert.notEqual(p.status, 0);
    // an empty registry: LanceDB falls back to full-text search; another function registered: the registry's error
    const message =
      /Cannot perform full text search unless an INVERTED index|Function "static-embed" not found in registry/;
    assert.match(p.stderr, message);
    const docs = readFileSync(join(REPO_ROOT, 'docs', 'integrations.md'), 'utf8');
    for (const m of [
      'Cannot perform full text search unless an INVERTED index',
      'Function "static-embed" not found in registry',
    ])
      assert.ok(docs.includes(m), `docs/integrations.md explains "${m}"`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(script, { force: true });
  }
});
