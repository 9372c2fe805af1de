import { printLine } from '../io/stdout.js';
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { StaticEmbedError } from '../../errors.js';
import type { StoreOptions } from '../../runtime/node/lancedb/store.js';
import type { Args, Command } from '../command.js';
import { DEFAULT_MODEL_NAME, DEFAULT_MODEL_PATH } from '../../runtime/node/default-model.js';
import { resolveModel } from '../model-arg.js';
import { count } from '../io/plural.js';
import { subcommandError } from '../cli-errors.js';
import { withModelSuggestion } from '../model-suggest.js';
import { readTextBatches } from '../io/input.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { Progress } from '../io/progress.js';
import { alignRight } from '../io/display-width.js';
import { clip } from '../io/texts.js';
import { checkOutputFolder } from '../io/output-path.js';
import { StaticModel } from '../../runtime/node/api.js';
import { chunkedCorpus } from '../io/chunked.js';
import { CHUNK_HELP, chunkOptionSpecs, chunkOptionsOf, methodOf } from './chunk.js';
import type { TextBatchIn } from '../../runtime/node/lancedb/store.js';

const DB = { option: '--db', what: 'the LanceDB store' };

/**
 * A local --db folder, checked before anything is read or embedded: build writes it (a new folder, or an existing
 * one), search and info read it (not a file). URIs (s3://…) are LanceDB's to check.
 */
function checkDb(db: string, build: boolean, isUri: (db: string) => boolean): void {
  if (isUri(db)) return;
  if (build) checkOutputFolder(db, DB);
  else if (existsSync(db) && !statSync(db).isDirectory())
    throw new StaticEmbedError(
      'IO_ERROR',
      `--db ${db} is a file, not a LanceDB folder. Give the folder of a store built with static-embed index build --db DIR.`,
    );
}

function storeOptions(args: Args): StoreOptions {
  const db = args.optionalString('db');
  if (!db) throw new StaticEmbedError('INVALID_ARGUMENT', '--db DIR is required (the LanceDB folder).');
  const o: StoreOptions = { db };
  const table = args.optionalString('table'),
    text = args.optionalString('text-column'),
    id = args.optionalString('id-column');
  if (table) o.table = table;
  if (text) o.textColumn = text;
  if (id) o.idColumn = id;
  return o;
}

/**
 * --model as the table records it: a local model folder by its absolute path (so searches from another directory find
 * it), the embedded model by the name that stands for it whatever its version (static-embed-default).
 */
function modelOption(args: Args): string | undefined {
  const given = args.optionalString('model');
  if (!given) return given;
  if (existsSync(given)) return resolve(given);
  return resolveModel(given) === DEFAULT_MODEL_PATH ? DEFAULT_MODEL_NAME : given;
}

/** The LanceDB code, loaded on use: @lancedb/lancedb and apache-arrow are optional peer dependencies. */
async function loadStore(): Promise<typeof import('../../runtime/node/lancedb/store.js')> {
  try {
    return await import('../../runtime/node/lancedb/store.js');
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_MODULE_NOT_FOUND')
      throw new StaticEmbedError(
        'NOT_FOUND',
        `static-embed index needs LanceDB: npm install @lancedb/lancedb apache-arrow (${(cause as Error).message.split('\n')[0]}).`,
        { cause },
      );
    throw cause;
  }
}

const SUBCOMMANDS = ['build', 'search', 'info'];

export const indexStore: Command = {
  name: 'index',
  subcommands: SUBCOMMANDS,
  summary: 'A persistent vector store (LanceDB on disk): build / search / info.',
  usage:
    'static-embed index build --input FILE --db DIR [--model M] [--dim N] [--table T] [--text-column C] [--id-column C] ' +
    '[--resume | --overwrite] [--ann-min-rows N] [--workers N]\n' +
    '       static-embed index search --db DIR --query TEXT [--table T] [--top-k K] [--where SQL] [--exact] [--json]\n' +
    '       static-embed index info --db DIR [--table T] [--json]',
  details: [
    'build: streams FILE (one text per line, or .jsonl with the --text-column field) into table T (default "texts") of the',
    '  LanceDB folder DIR, appending when the table exists; ids are "FILE:LINE" (1-based line numbers); --resume skips the lines of',
    '  FILE already stored. The table records the static-embed embedding function (--model, --dim), so LanceDB embeds',
    "  appended rows and queries itself, always with that model: a --model or --dim other than the table's is an error",
    '  (exit 2); --overwrite replaces the table (its rows, model and dim) with one built from FILE only.',
    '  At --ann-min-rows rows (default 50000) an IVF-PQ index is built. --workers N threads (not recorded);',
    '  --batch-size N texts per batch (default 8192); --quiet: no progress line.',
    '  An input without texts (empty, blank lines only) is an error (exit 2); a failed build leaves no new table behind.',
    'search: the top-K texts (score = cosine), optionally filtered by --where (SQL over the columns); --exact skips the',
    "  ANN index. The query is embedded by the table's model (--model, if given, must be that one).",
    '  info: rows, columns, indices, embedding function, size on disk.',
    'DIR may be any URI LanceDB accepts (e.g. object storage); many readers can open the same table.',
    'build --chunk METHOD: FILE is documents (a text file, a folder, or .jsonl with one per line) cut into chunks (options',
    '  as static-embed chunk); rows get "doc", "start" and "end" columns (UTF-16 offsets), ids are "FILE:DOC#INDEX", and',
    '  search hits show the document and the offsets. METHOD: semantic, sentence or tokens.',
    ...CHUNK_HELP,
    'A new table (or one replaced with --overwrite) in a local DIR is built in a temporary folder and swapped in when ' +
      'complete; rows appended to an existing table are committed batch by batch (a killed build: --resume).',
    ...INPUT_HELP,
  ],
  options: {
    ...INPUT_OPTIONS,
    input: { type: 'string' },
    db: { type: 'string' },
    model: { type: 'string' },
    dim: { type: 'string' },
    table: { type: 'string' },
    'text-column': { type: 'string' },
    'id-column': { type: 'string' },
    resume: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    'ann-min-rows': { type: 'string' },
    'batch-size': { type: 'string' },
    workers: { type: 'string' },
    query: { type: 'string' },
    'top-k': { type: 'string' },
    where: { type: 'string' },
    exact: { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    chunk: { type: 'string' },
    ...chunkOptionSpecs(''),
  },
  async run(args) {
    const sub = args.positionals[0];
    // the subcommand first: what a missing or misspelled one needs is not its options
    if (sub !== 'build' && sub !== 'search' && sub !== 'info') throw subcommandError('index', sub, SUBCOMMANDS);
    const store = storeOptions(args);
    const lancedb = await loadStore();
    const { buildStore, checkTableModel, isUri, modelName, openStore, searchStore } = lancedb;
    checkDb(store.db, sub === 'build', isUri);
    const model = modelOption(args);
    const dim = args.values.dim !== undefined ? args.int('dim', 0) : undefined;
    if (sub === 'build') {
      const input = args.optionalString('input');
      if (!input) throw new StaticEmbedError('INVALID_ARGUMENT', '--input FILE is required.');
      const progress = Progress.for(undefined, args.boolean('quiet'), 'rows');
      const chunk = args.optionalString('chunk');
      const column = store.textColumn ?? 'text';
      const batches =
        chunk === undefined
          ? readTextBatches(input, args.inputPolicy, args.int('batch-size', 8192), column, '--input')
          : chunkBatches(args, input, model, column);
      const r = await buildStore(basename(input), batches, {
        ...store,
        chunked: chunk !== undefined,
        ...(model ? { model } : {}),
        ...(dim !== undefined ? { dim } : {}),
        workers: args.int('workers', availableParallelism()),
        resume: args.boolean('resume'),
        overwrite: args.boolean('overwrite'),
        annMinRows: args.int('ann-min-rows', 50_000),
        onProgress: (n) => progress.update(n),
      }).catch((e: unknown) => {
        // a --model that names nothing: "did you mean" as in every command
        throw args.optionalString('model') ? withModelSuggestion(args.optionalString('model')!, e) : e;
      });
      progress.done(r.added);
      printLine(
        args.boolean('json')
          ? JSON.stringify({ added: r.added, skipped: r.skipped, rows: r.rows, ann_index: r.annIndex })
          : `Added ${count(r.added, 'row')} (model: ${modelName(r.model)})` +
              `${r.skipped ? `, skipped ${count(r.skipped, 'row')} already stored` : ''}; ` +
              `the table has ${count(r.rows, 'row')}${r.annIndex ? ', with an IVF-PQ index' : ''}.`,
      );
      return;
    }
    if (sub === 'search') {
      const query = args.optionalString('query');
      if (!query) throw new StaticEmbedError('INVALID_ARGUMENT', '--query TEXT is required.');
      const table = await openStore(store);
      // the query is embedded by the table's own model: another --model (or --dim) would be silently ignored
      await checkTableModel(
        table,
        { ...store, ...(model ? { model } : {}), ...(dim !== undefined ? { dim } : {}) },
        'search',
      );
      const where = args.optionalString('where');
      const hits = await searchStore(table, query, {
        ...store,
        topK: args.int('top-k', 10),
        exact: args.boolean('exact'),
        ...(where ? { where } : {}),
      }).catch((e: Error) => {
        // ours (the table's model cannot load, or is not the one its vectors were made with) as it is
        if (e instanceof StaticEmbedError) throw e;
        throw new StaticEmbedError('INVALID_ARGUMENT', `LanceDB rejected the search: ${e.message.split('\n')[0]}`);
      });
      if (args.boolean('json')) printLine(JSON.stringify(hits));
      else {
        const scores = alignRight(hits.map((h) => h.score.toFixed(4)));
        const where = (h: (typeof hits)[number]) =>
          h.doc !== undefined ? `${h.doc} [${h.start}, ${h.end})` : `[${h.id}]`;
        printLine(
          hits.map((h, r) => `${String(r + 1).padStart(2)}. ${scores[r]!}  ${where(h)} ${clip(h.text)}`).join('\n'),
        );
      }
      return;
    }
    if (sub === 'info') await printInfo(args, store, lancedb);
  },
};

/** index info: the table's rows, columns, indices, embedding function and size on disk. */
async function printInfo(
  args: Args,
  store: StoreOptions,
  lancedb: Awaited<ReturnType<typeof loadStore>>,
): Promise<void> {
  const table = await lancedb.openStore(store);
  const schema = await table.schema();
  const info = {
    table: store.table ?? 'texts',
    rows: await table.countRows(),
    columns: schema.fields.map((f) => `${f.name}: ${String(f.type)}`),
    indices: (await table.listIndices()).map((i) => `${i.name} (${i.indexType} on ${i.columns.join(', ')})`),
    embedding_functions: schema.metadata.get('embedding_functions') ?? null,
    disk_bytes: lancedb.diskBytes(store.db),
  };
  printLine(
    args.boolean('json')
      ? JSON.stringify(info)
      : Object.entries(info)
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join('; ') || 'none' : String(v)}`)
          .join('\n'),
  );
}

/** The chunks of the documents of `input`, as batches to store (chunked with the table's model). */
async function* chunkBatches(
  args: Args,
  input: string,
  model: string | undefined,
  field: string,
): AsyncGenerator<TextBatchIn> {
  const options = chunkOptionsOf(args, methodOf(args.optionalString('chunk'), '--chunk'));
  const m = await StaticModel.fromPretrained(resolveModel(model ?? DEFAULT_MODEL_NAME));
  for (const rows of chunkedCorpus(m, input, args.inputPolicy, options, field))
    yield { texts: rows.map((r) => r.text), firstLine: 1, chunks: rows };
}
