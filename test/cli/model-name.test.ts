/**
 * The CLI's shared argument rules: `--model static-embed-default` names the embedded default model in every command
 * (one resolver; a folder of that name in the working directory wins), and values that start with "-".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { attachDashValues } from '../../src/cli/dash-values.js';
import { resolveModel } from '../../src/cli/model-arg.js';
import { DEFAULT_MODEL_NAME, DEFAULT_MODEL_PATH } from '../../src/runtime/node/default-model.js';
import { StaticEmbedError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

test('--model static-embed-default: the embedded default model in every command that takes --model', async () => {
  assert.equal(DEFAULT_MODEL_NAME, 'static-embed-default');
  assert.equal(resolveModel('static-embed-default'), DEFAULT_MODEL_PATH);
  assert.equal(resolveModel('org/model'), 'org/model');
  const dir = mkdtempSync(join(tmpdir(), 'se-name-'));
  const input = join(dir, 'in.txt');
  writeFileSync(input, 'I used to hate him.\nThe weather is nice today.\n');
  const M = ['--model', 'static-embed-default'];
  // the same output as without --model
  const cases: string[][] = [
    ['info', '--json'],
    ['encode', '--input', input, '--format', 'jsonl', '--dim', '8'],
    ['similarity', 'a cat', 'a kitten'],
    ['search', '--corpus', input, '--query', 'weather', '--json'],
    ['mine', '--input', input, '--json'],
    ['cluster', '--input', input, '--k', '2', '--json'],
    ['tokenize', '--input', input],
  ];
  for (const c of cases) {
    const named = await runCli([...c, ...M]),
      omitted = await runCli(c);
    assert.equal(named.code, 0, `${c[0]}: ${named.stderr}`);
    assert.equal(named.stdout, omitted.stdout, `${c[0]} --model static-embed-default = no --model`);
  }
  // convert: the embedded model's licence and name go with the copy
  const out = join(dir, 'copy');
  const r = await runCli(['convert', ...M, '--dim', '16', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const card = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(card, /^license: cc-by-sa-4\.0$/m);
  assert.match(card, /^- Source: static-embed-default-v2 \(the embedded default model of static-embed\)$/m);
  // train --init: fine-tunes it; the card names the model and the data without this machine's paths
  const pairs = join(dir, 'pairs.tsv');
  writeFileSync(pairs, 'anchor\tpositive\nI used to hate him.\tРаньше я ненавидел его.\na cat\tun chat\n');
  const tuned = join(dir, 'tuned');
  const tr = await runCli([
    'train',
    '--init',
    'static-embed-default',
    '--data',
    pairs,
    '--out',
    tuned,
    '--batch-size',
    '2',
  ]);
  assert.equal(tr.code, 0, tr.stderr);
  const trCard = readFileSync(join(tuned, 'README.md'), 'utf8');
  assert.match(trCard, /^- Source: static-embed-default-v2 \(the embedded default model of static-embed\)$/m);
  assert.match(trCard, /trained 1 steps on pairs\.tsv /);
  assert.ok(!trCard.includes(dir), 'no path of this machine');
  // a folder of that name in the working directory is loaded as a folder
  const local = join(dir, 'static-embed-default');
  for (const [p, b] of Object.entries(tinyModelFiles())) {
    mkdirSync(dirname(join(local, p)), { recursive: true });
    writeFileSync(join(local, p), b);
  }
  const info = await runCli(['info', '--json', ...M], undefined, undefined, dir);
  assert.equal(info.code, 0, info.stderr);
  assert.equal((JSON.parse(info.stdout) as { dim: number }).dim, 4);
});

test('values starting with "-" are attached to their option (--flag=VALUE); a missing value is a typed error', () => {
  const options = {
    'top-k': { type: 'string' as const },
    json: { type: 'boolean' as const },
    query: { type: 'string' as const, multiple: true },
  };
  assert.deepEqual(
    attachDashValues('x', ['--top-k', '-1', '--json', '--query', '-a', 'pos', '-', '--query=b'], options),
    ['--top-k=-1', '--json', '--query=-a', 'pos', '-', '--query=b'],
  );
  // after "--" everything is a positional
  assert.deepEqual(attachDashValues('x', ['--', '--top-k', '-1'], options), ['--', '--top-k', '-1']);
  // a value that is an empty string stays one
  assert.deepEqual(attachDashValues('x', ['--query', ''], options), ['--query=']);
  for (const argv of [['--top-k'], ['--top-k', '--json'], ['--query', '--x']])
    assert.throws(
      () => attachDashValues('x', argv, options),
      (e) => e instanceof StaticEmbedError && e.code === 'INVALID_ARGUMENT' && /needs a value/.test(e.message),
    );
});
