import { loadTokenizer } from '../../runtime/node/fs.js';
import { IdBuffer } from '../../tokenizer/id-buffer.js';
import { readTextBatches } from '../io/input.js';
import { Output } from '../io/output.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import type { Command } from '../command.js';
import { DEFAULT_MODEL_NAME } from '../../runtime/node/default-model.js';
import { modelArg, shadowedNameError } from '../model-arg.js';
import type { Tokenizer } from '../../tokenizer/tokenizer.js';

export const tokenize: Command = {
  name: 'tokenize',
  summary: 'Token ids of texts: one {"ids": [...]} line per input text, in order.',
  usage: 'static-embed tokenize [--model PATH] [--input FILE] [--output FILE [--overwrite]] [--special]',
  details: [
    `PATH: a tokenizer.json file or a model folder (default: the embedded model, also named ${DEFAULT_MODEL_NAME} or by its id).`,
    'FILE: .jsonl = one {"text": ...} object per line; anything else = one text per line; "-" or absent = stdin.',
    'Without --special, no special tokens are added (static models encode without them).',
    '--output FILE: written atomically; an existing FILE is replaced only with --overwrite (never the input or the model).',
    ...INPUT_HELP,
  ],
  options: {
    ...INPUT_OPTIONS,
    overwrite: { type: 'boolean' },
    model: { type: 'string', required: true },
    input: { type: 'string' },
    output: { type: 'string' },
    special: { type: 'boolean' },
  },
  async run(args) {
    let tok: Tokenizer;
    try {
      tok = loadTokenizer(modelArg(args));
    } catch (e) {
      throw shadowedNameError(args.string('model'), e);
    }
    const input = args.optionalString('input');
    const out = new Output(args.optionalString('output'), {
      option: '--output',
      what: 'the token ids (a .jsonl file)',
      example: 'ids.jsonl',
      command: 'tokenize',
      overwrite: args.boolean('overwrite'),
      inputs: [
        { option: '--input', path: input },
        { option: '--model', path: modelArg(args) },
      ],
    });
    const options = { addSpecialTokens: args.boolean('special') };
    const sink = new IdBuffer(1 << 16);
    for await (const { texts } of readTextBatches(input, args.inputPolicy, 8192, 'text', '--input')) {
      for (const text of texts) {
        sink.length = 0;
        tok.encodeInto(text, sink, options);
        out.ascii('{"ids":[');
        const ids = sink.data;
        for (let i = 0; i < sink.length; i++) {
          if (i > 0) out.ascii(',');
          out.uint(ids[i]!);
        }
        out.ascii(']}\n');
      }
      if (out.pending > 1 << 20) await out.flush();
    }
    await out.close();
  },
};
