import { printLine } from '../io/stdout.js';
import type { Command } from '../command.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg, modelIdentity } from '../model-arg.js';

/**
 * The model row: its portable name (what eval, classify and serve call it; never the embedded model's path), with
 * the folder as given when that differs.
 */
function modelRow(given: string): string {
  const m = modelIdentity(given);
  if (m.kind === 'embedded') return `${m.id} (the embedded default model)`;
  return m.kind === 'local' && m.id !== given ? `${m.id} (folder ${given})` : m.id;
}

/** Bytes in decimal units (MB = 10^6 bytes), as file sizes are given. */
function bytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;
}

export const info: Command = {
  name: 'info',
  summary: 'What a model is: layout, vocabulary, dimensions, dtype, normalization, profile, memory.',
  usage: 'static-embed info [--model M] [--json]',
  details: MODEL_HELP,
  options: { ...MODEL_OPTIONS, json: { type: 'boolean' } },
  async run(args) {
    const model = await loadModelArg(args);
    const i = model.info();
    if (args.boolean('json')) {
      printLine(JSON.stringify({ name: modelIdentity(args.string('model')).id, ...i }));
      return;
    }
    const scales = i.tableDtype === 'int8' && i.dtype.endsWith('+scales') ? ' with row scales' : '';
    const rows: Array<[string, string]> = [
      ['model', modelRow(args.string('model'))],
      ['layout', i.layout],
      [
        'profile',
        `${i.profile} (${i.dropUnk ? 'drops [UNK]' : 'keeps [UNK]'}, ${i.maxLength === null ? 'no length limit' : `max ${i.maxLength} tokens`})`,
      ],
      ['vocabulary', `${i.vocabSize.toLocaleString('en-US')} tokens${i.tokenizerFastPath ? ' (BERT fast path)' : ''}`],
      [
        'table',
        `${i.tableRows.toLocaleString('en-US')} rows × ${i.dim} ` +
          `dims${i.dim !== i.sourceDim ? ` (of ${i.sourceDim}, truncated at load)` : ''}${i.vocabularyQuantized ? ', vocabulary-quantized' : ''}`,
      ],
      ['dtype', `${i.dtype} on disk, ${i.tableDtype}${scales} in memory`],
      ['normalize', String(i.normalize)],
      ['similarity', i.similarityFnName],
      ['memory', `${bytes(i.tableBytes)} table`],
    ];
    printLine(rows.map(([k, v]) => `${k.padEnd(11)} ${v}`).join('\n'));
  },
};
