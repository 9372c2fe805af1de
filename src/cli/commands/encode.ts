import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Progress } from '../io/progress.js';
import { StaticEmbedError } from '../../errors.js';
import { readTextBatches } from '../io/input.js';
import { Output } from '../io/output.js';
import { checkFileOutput, type FileOutput } from '../io/clobber.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import type { Args, Command } from '../command.js';
import { formatFloat32 } from '../../math/float-format.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg, modelArg } from '../model-arg.js';
import { float32Bytes, npyHeader } from '../io/npy-writer.js';
import { countTexts } from '../io/count.js';

export const encode: Command = {
  name: 'encode',
  summary: 'Embeddings of texts, streamed to jsonl ({"embedding": [...]} per text) or npy (float32 [n, dim]).',
  usage:
    'static-embed encode [--model M] [--input FILE] [--output FILE [--overwrite]] [--format jsonl|npy] [--dim N] [--normalize|--no-normalize]',
  details: [
    'FILE: .jsonl = one {"text": ...} object per line; anything else = one text per line; "-" or absent = stdin.',
    '--format: jsonl (default) or npy; npy to stdout needs the row count first, so stdin input is buffered.',
    '--batch-size N: texts encoded per step (default 4096); memory stays bounded for any input size.',
    '--workers N: threads (default: the number of CPU cores); --quiet: no progress line on the terminal.',
    '--output FILE is written under a temporary name and renamed when complete (a killed run leaves the old file or ' +
      'none); an existing FILE is replaced only with --overwrite, and never when it is the input or a file of the model.',
    '--per-token: per text, its tokens instead of one embedding: {"ids": [...], "offsets": [[start, end], ...] (code',
    '  points), "vectors": [[...], ...]} (the table rows before pooling; model2vec: encode_as_sequence); jsonl only.',
    ...INPUT_HELP,
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    ...INPUT_OPTIONS,
    overwrite: { type: 'boolean' },
    input: { type: 'string' },
    output: { type: 'string' },
    format: { type: 'string' },
    'batch-size': { type: 'string' },
    workers: { type: 'string' },
    quiet: { type: 'boolean' },
    'per-token': { type: 'boolean' },
  },
  async run(args) {
    const format = args.optionalString('format') ?? (args.optionalString('output')?.endsWith('.npy') ? 'npy' : 'jsonl');
    if (format !== 'jsonl' && format !== 'npy')
      throw new StaticEmbedError('INVALID_ARGUMENT', `--format must be jsonl or npy, got "${format}".`);
    const input = args.optionalString('input');
    const outPath = args.optionalString('output');
    const batch = args.int('batch-size', 4096);
    const workers = args.int('workers', availableParallelism());
    const output: FileOutput = {
      option: '--output',
      what: `the embeddings (a .${format} file)`,
      example: `embeddings.${format}`,
      command: 'encode',
      overwrite: args.boolean('overwrite'),
      inputs: [
        { option: '--input', path: input },
        { option: '--model', path: modelArg(args) },
      ],
    };
    if (outPath !== undefined) checkFileOutput(outPath, output); // before the model loads
    if (args.boolean('per-token')) return perToken(args, format, output);
    const model = await loadModelArg(args);
    model.prepareWorkers(workers);
    const isFile = input !== undefined && input !== '-' && statSync(input).isFile();
    const total = isFile ? await countTexts(input) : undefined;
    const progress = Progress.for(total, args.boolean('quiet'));
    const dim = model.dim;
    const out = new Output(outPath, { ...output, overwrite: true }); // checked above: replaced when complete
    const toStdout = outPath === undefined || outPath === '-';
    let rows = 0;
    if (format === 'npy') {
      if (toStdout) {
        // the header needs the row count: count the input first (a file), or buffer (stdin)
        if (total !== undefined) {
          out.bytes(npyHeader(total, dim));
        } else {
          const all: string[] = [];
          for await (const b of readTextBatches(input, args.inputPolicy, batch, 'text', '--input'))
            for (const t of b.texts) all.push(t);
          out.bytes(npyHeader(all.length, dim));
          for (let i = 0; i < all.length; i += batch)
            out.bytes(float32Bytes(model.encode(all.slice(i, i + batch), { workers }).data));
          await out.close();
          return;
        }
      } else out.bytes(npyHeader(0, dim));
    }
    // one output buffer, reused batch after batch (shared, so worker threads write into it directly)
    const into = new Float32Array(new SharedArrayBuffer(batch * dim * 4));
    for await (const { texts } of readTextBatches(input, args.inputPolicy, batch, 'text', '--input')) {
      const e = model.encode(texts, { workers, into });
      rows += texts.length;
      progress.update(rows);
      if (format === 'npy') out.bytes(float32Bytes(e.data));
      else {
        for (let i = 0; i < e.rows; i++) {
          out.ascii('{"embedding":[');
          const r = e.row(i);
          for (let j = 0; j < r.length; j++) {
            if (j > 0) out.ascii(',');
            out.ascii(formatFloat32(r[j]!));
          }
          out.ascii(']}\n');
        }
      }
      await out.flush();
    }
    // the row count goes into the header before the file takes its name: a partial .npy never has the final name
    if (format === 'npy' && !toStdout) out.writeAt(npyHeader(rows, dim), 0);
    await out.close();
    progress.done(rows);
  },
};

/** encode --per-token: one JSONL line per text with its token ids, offsets (code points) and vectors. */
async function perToken(args: Args, format: string, output: FileOutput): Promise<void> {
  if (format !== 'jsonl')
    throw new StaticEmbedError('INVALID_ARGUMENT', `--per-token writes jsonl only, got --format ${format}.`);
  const model = await loadModelArg(args);
  const out = new Output(args.optionalString('output'), { ...output, overwrite: true }); // checked by the caller
  const batch = args.int('batch-size', 1024);
  const input = args.optionalString('input');
  for await (const { texts } of readTextBatches(input, args.inputPolicy, batch, 'text', '--input')) {
    for (const t of model.encodeTokens(texts)) {
      out.ascii('{"ids":[' + Array.from(t.ids).join(',') + '],"offsets":[');
      for (let k = 0; k < t.ids.length; k++) out.ascii(`${k > 0 ? ',' : ''}[${t.starts[k]},${t.ends[k]}]`);
      out.ascii('],"vectors":[');
      for (let k = 0; k < t.vectors.rows; k++) {
        const r = t.vectors.row(k);
        out.ascii((k > 0 ? ',[' : '[') + Array.from(r, (x) => formatFloat32(x)).join(',') + ']');
      }
      out.ascii(']}\n');
    }
    await out.flush();
  }
  await out.close();
}
