/**
 * kill -9 during writes: an in-place `convert --model M --out M --overwrite` and `encode --output` killed at many
 * points (before, during and after the files are written, found by watching for the temporary names) leave the old or
 * the new version complete, never a part under the final name; the next run cleans up what the killed ones left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { f32Bytes, writeSafetensors } from '../../src/formats/safetensors-writer.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { runCli } from '../helpers/cli.js';
import { readNpy } from '../helpers/npy.js';
import { repoFile } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'se-kill-'));
const VOCAB = 16_000,
  DIM = 96;

/** A model of VOCAB × DIM float32 values that float16 holds exactly (a dtype round trip changes nothing). */
function bigModel(path: string): Float32Array {
  const vocab = ['[PAD]', '[UNK]', ...Array.from({ length: VOCAB - 2 }, (_, i) => `w${i}`)];
  const table = Float32Array.from({ length: VOCAB * DIM }, (_, i) => ((i * 7919) % 257) / 64 - 2);
  const files: Record<string, Uint8Array | string> = {
    'modules.json':
      '[{"idx":0,"name":"0","path":"0_StaticEmbedding","type":"sentence_transformers.models.StaticEmbedding"}]',
    '0_StaticEmbedding/tokenizer.json': JSON.stringify({
      added_tokens: [{ id: 1, content: '[UNK]', special: true, normalized: false }],
      normalizer: { type: 'BertNormalizer', lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
      },
    }),
    '0_StaticEmbedding/model.safetensors': writeSafetensors({
      'embedding.weight': { dtype: 'F32', shape: [VOCAB, DIM], bytes: f32Bytes(Array.from(table)) },
    }),
  };
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(path, rel)), { recursive: true });
    writeFileSync(join(path, rel), bytes);
  }
  return table;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the CLI and kills it with SIGKILL `delay` ms after `ready()` first holds (polled every millisecond), or after
 * `delay` ms when `ready` is undefined; resolves with whether it was killed (false: it finished first).
 */
async function killAt(args: string[], delay: number, ready?: () => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [repoFile('bin/static-embed.js'), ...args], { stdio: 'ignore' });
  let exited = false;
  const done = new Promise<void>((r) => child.on('exit', () => ((exited = true), r())));
  if (ready) while (!exited && !ready()) await sleep(1);
  await sleep(delay);
  const killed = !exited && child.kill('SIGKILL');
  await done;
  return killed;
}

const temps = (folder: string) => readdirSync(folder).filter((n) => n.includes('.static-embed-'));
/** Temporary names in `folder` that were not there before (what a killed run left is ignored). */
const newTemps = (folder: string, before: Set<string>) => temps(folder).filter((n) => !before.has(n));

test('kill -9 at 12 points of an in-place convert: the model always loads, as the old or the new copy', async () => {
  const root = join(dir, 'convert');
  const m = join(root, 'm');
  const table = bigModel(m);
  writeFileSync(join(m, 'notes.txt'), 'mine');
  const convert = (dtype: string) => ['convert', '--model', m, '--out', m, '--overwrite', '--dtype', dtype];
  let killed = 0,
    dtype = 'float16';
  // the first kill before anything is written, the others after the new folder appeared (spread over its writing)
  for (const delay of [150, 0, 0, 1, 2, 3, 5, 8, 13, 21, 34, 55]) {
    const before = new Set(temps(root));
    const staged = () => newTemps(root, before).length > 0;
    if (await killAt(convert(dtype), delay, delay === 150 ? undefined : staged)) killed++;
    const loaded = loadModelFolder(m);
    assert.deepEqual(loaded.table, table, `after a kill at ${delay} ms the table changed`);
    assert.ok(['F32', 'F16'].includes(loaded.info().dtype), loaded.info().dtype);
    assert.equal(readFileSync(join(m, 'notes.txt'), 'utf8'), 'mine');
    dtype = dtype === 'float16' ? 'float32' : 'float16';
  }
  assert.ok(killed >= 6, `only ${killed} of 12 runs were killed before they finished`);
  // a complete run: the new copy, and what the killed runs left beside the folder is gone
  const r = await runCli(convert('float16'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(loadModelFolder(m).info().dtype, 'F16');
  assert.deepEqual(loadModelFolder(m).table, table);
  assert.deepEqual(temps(root), []);
  assert.deepEqual(readdirSync(m).sort(), [
    '0_StaticEmbedding',
    'README.md',
    'config_sentence_transformers.json',
    'modules.json',
    'notes.txt',
  ]);
});

test('kill -9 at 12 points of encode --output (npy and jsonl): the file is absent, the old one, or complete', async () => {
  const root = join(dir, 'encode');
  const m = join(root, 'model');
  bigModel(m);
  const input = join(root, 'in.txt');
  const lines = 20_000;
  writeFileSync(
    input,
    Array.from({ length: lines }, (_, i) => `w${i % 997} w${i % 13} w${i % 7919}`).join('\n') + '\n',
  );
  let before = new Set<string>();
  const tempSize = () => {
    const t = newTemps(root, before)[0];
    try {
      return t === undefined ? -1 : statSync(join(root, t)).size;
    } catch {
      return -1;
    }
  };
  const expectedNpy = lines * DIM * 4 + 128;
  let killed = 0;
  for (const [i, fraction] of [0, 0, 0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1].entries()) {
    const npy = i % 2 === 0;
    const out = join(root, npy ? 'e.npy' : 'e.jsonl');
    const old = existsSync(out) ? readFileSync(out) : undefined;
    before = new Set(temps(root));
    const args = [
      'encode',
      '--model',
      m,
      '--input',
      input,
      '--output',
      out,
      '--overwrite',
      '--quiet',
      '--workers',
      '1',
    ];
    // the first two: killed before the file is opened; the others once the temporary file holds `fraction` of it
    const ready = i < 2 ? undefined : () => tempSize() >= fraction * (npy ? expectedNpy : expectedNpy * 2);
    if (await killAt(args, i < 2 ? 100 * i : 0, ready)) killed++;
    if (!existsSync(out)) {
      assert.equal(old, undefined, `${out} was removed`);
      continue;
    }
    const now = readFileSync(out);
    if (old !== undefined && now.equals(old)) continue;
    // new: complete
    if (npy) {
      assert.equal(now.length, expectedNpy);
      assert.deepEqual(readNpy(out).shape, [lines, DIM]);
    } else {
      const text = now.toString('utf8');
      assert.equal(text.split('\n').length, lines + 1);
      assert.ok(text.endsWith(']}\n'));
    }
  }
  assert.ok(killed >= 6, `only ${killed} of 12 runs were killed before they finished`);
  // complete runs: what the killed ones left beside each file is gone
  for (const name of ['e.npy', 'e.jsonl']) {
    const r = await runCli(['encode', '--model', m, '--input', input, '--output', join(root, name), '--overwrite']);
    assert.equal(r.code, 0, r.stderr);
  }
  assert.deepEqual(readNpy(join(root, 'e.npy')).shape, [lines, DIM]);
  assert.deepEqual(temps(root), []);
});
