/**
 * Texts into a LanceDB table on disk and searches over it (what `static-embed index` runs).
 * See ARCHITECTURE.md, "Integrations".
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { connect, Index, type Connection, type Table, type VectorQuery } from '@lancedb/lancedb';
import { LanceSchema, getRegistry } from '@lancedb/lancedb/embedding';
import { Int32, Utf8 } from 'apache-arrow';
import { StaticEmbedError } from '../../../errors.js';
import { DEFAULT_MODEL_PATH, isDefaultModelName } from '../default-model.js';
import { discardTemp, swapFolderIn, tempFolderFor } from '../atomic-write.js';
import { makeFolder } from '../make-folder.js';
import {
  REGISTRY_NAME,
  TABLE_PLACEHOLDER,
  registerStaticEmbed,
  staticEmbedFunction,
  type StaticEmbedFunction,
  type StaticEmbedFunctionOptions,
} from './embedding-function.js';

export interface StoreOptions {
  /** database folder (or any URI LanceDB accepts) */
  db: string;
  table?: string;
  textColumn?: string;
  idColumn?: string;
}

/** A stored chunk's document and place in it (UTF-16 code units); rows of a table built from chunks carry them. */
export interface ChunkPlace {
  doc: string;
  index: number;
  start: number;
  end: number;
}

/** A batch of texts to store: lines of a file, or chunks of documents (`chunks[i]` for `texts[i]`). */
export interface TextBatchIn {
  texts: string[];
  firstLine: number;
  chunks?: ChunkPlace[];
}

export interface BuildOptions extends StoreOptions, StaticEmbedFunctionOptions {
  /** the rows are chunks of documents: the table gets "doc", "start" and "end" columns */
  chunked?: boolean;
  /** skip the texts of this source already in the table (a build that stopped half way) */
  resume?: boolean;
  /** replace an existing table (its rows, model and dim) with a new one built from this source only */
  overwrite?: boolean;
  /** (re)build the IVF-PQ index when rows were added and the table has at least this many (default 50,000) */
  annMinRows?: number;
  onProgress?: (rows: number) => void;
}

export interface BuildResult {
  added: number;
  skipped: number;
  rows: number;
  /** whether the table has an ANN index on its vectors now */
  annIndex: boolean;
  /** the model the table records (undefined: the embedded default model) */
  model: string | undefined;
}

const names = (o: StoreOptions) => ({
  table: o.table ?? 'texts',
  text: o.textColumn ?? 'text',
  id: o.idColumn ?? 'id',
});

/** A URI with a scheme (s3://, gs://, db:// …) as given; a local folder as an absolute path (LanceDB reads a relative
 * path that starts with "db" as a LanceDB Cloud address). */
export const isUri = (db: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(db);
const dbUri = (db: string) => (isUri(db) ? db : resolve(db));

/** NOT_FOUND when a local database folder does not exist (connecting would create an empty one). */
function assertDbExists(db: string): void {
  if (!isUri(db) && !existsSync(resolve(db)))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `No LanceDB folder at ${db} (${resolve(db)}); give the --db of an existing store, or build one with ` +
        `static-embed index build --input FILE --db ${db}.`,
    );
}

/** The INVALID_MODEL error of the embedding function, naming this table's --db and --table; other errors as they are. */
function withTableNames(e: unknown, options: StoreOptions): unknown {
  if (!(e instanceof StaticEmbedError) || e.code !== 'INVALID_MODEL') return e;
  const names_ = `--db ${options.db} --table ${names(options).table}`;
  return new StaticEmbedError('INVALID_MODEL', e.message.replace(TABLE_PLACEHOLDER, names_), { cause: e });
}

/** Opens an existing table (its embedding function comes back from the table's metadata). */
export async function openStore(options: StoreOptions): Promise<Table> {
  assertDbExists(options.db);
  registerStaticEmbed();
  const conn = await connect(dbUri(options.db));
  const { table } = names(options);
  if (!(await conn.tableNames()).includes(table))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `No table "${table}" in ${options.db}; build it with static-embed index build.`,
    );
  return conn.openTable(table);
}

/**
 * Adds the texts of `source` (batches of lines, with the source's name for the ids) to the table, embedded by the
 * registered static-embed function.
 *
 * @example
 * ```ts
 * import { buildStore, openStore, searchStore } from 'static-embed/lancedb';
 *
 * const texts = ['The cat sleeps on the sofa.', 'Stocks fell on Monday.', 'Rain is expected tomorrow.'];
 * async function* batches() {
 *   yield { texts, firstLine: 1 };
 * }
 * const built = await buildStore('notes.txt', batches(), { db: 'lancedb-example', model: 'static-embed-default' });
 * console.log(built.added); // → 3
 * const table = await openStore({ db: 'lancedb-example' });
 * const [hit] = await searchStore(table, 'Where is the cat?', { db: 'lancedb-example', topK: 1 });
 * console.log(hit!.text); // → The cat sleeps on the sofa.
 * ```
 */
export async function buildStore(
  source: string,
  batches: AsyncIterable<TextBatchIn>,
  options: BuildOptions,
): Promise<BuildResult> {
  if (options.resume && options.overwrite)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      'give resume (--resume) or overwrite (--overwrite), not both: resuming keeps the table, overwriting replaces it.',
    );
  // the input is read up to its first text before anything is created: a missing or unreadable file, a bad first
  // line or an input without texts leaves no table (and no folder) behind
  const it = batches[Symbol.asyncIterator]();
  const head: TextBatchIn[] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) {
    head.push(r.value);
    if (r.value.texts.some(hasText)) break;
  }
  if (!head.some((b) => b.texts.some(hasText)))
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `Input "${source}" holds no texts (it is empty, or has blank lines only); nothing was built. Give a file with one text ` +
        `per line (or a .jsonl file with one {"${options.textColumn ?? 'text'}": "..."} object per line).`,
    );
  async function* all() {
    yield* head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  registerStaticEmbed();
  const local = !isUri(options.db);
  const dbExists = !local || existsSync(resolve(options.db));
  if (dbExists && !options.overwrite) {
    const conn = await connect(dbUri(options.db));
    const n = names(options);
    if ((await conn.tableNames()).includes(n.table)) {
      const table = await conn.openTable(n.table);
      try {
        // rows added to a table are embedded by the function it records (its model, at its width): another cannot apply
        await checkTableModel(table, options, 'append');
        return await addRows(table, source, all(), options);
      } catch (e) {
        throw withTableNames(e, options);
      }
    }
  }
  return local ? buildNewLocal(source, all(), options, dbExists) : buildNewRemote(source, all(), options);
}

/** The schema of a new table, with the static-embed function that embeds its texts. */
async function newTable(conn: Connection, options: BuildOptions, mode: 'create' | 'overwrite'): Promise<Table> {
  const n = names(options);
  const fn = await staticEmbedFunction({
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.dim !== undefined ? { dim: options.dim } : {}),
  });
  // chunks of documents keep where they are: the document and their offsets in it (UTF-16)
  const chunkColumns = options.chunked ? { doc: new Utf8(), start: new Int32(), end: new Int32() } : {};
  const schema = LanceSchema({
    [n.text]: fn.sourceField(),
    [n.id]: new Utf8(),
    ...chunkColumns,
    vector: fn.vectorField(),
  });
  return conn.createEmptyTable(n.table, schema, { mode });
}

/**
 * A new (or replacing) table in a local folder: built whole in a temporary folder, then swapped in (the table's
 * folder DB/TABLE.lance, or the whole DB folder when it is new), so a failed or killed build leaves the old table (or
 * nothing) in place.
 */
async function buildNewLocal(
  source: string,
  batches: AsyncIterable<TextBatchIn>,
  options: BuildOptions,
  dbExists: boolean,
): Promise<BuildResult> {
  const db = resolve(options.db);
  const tableDir = join(db, `${names(options).table}.lance`);
  if (!dbExists) makeFolder(dirname(db));
  const staging = tempFolderFor(dbExists ? tableDir : db);
  try {
    const conn = await connect(staging);
    const table = await newTable(conn, options, 'create');
    const result = await addRows(table, source, batches, options);
    table.close();
    conn.close();
    if (dbExists) {
      swapFolderIn(join(staging, basename(tableDir)), tableDir);
      discardTemp(staging);
    } else swapFolderIn(staging, db);
    return result;
  } catch (e) {
    discardTemp(staging);
    throw withTableNames(e, options);
  }
}

/** A new table at a URI (object storage): LanceDB's own commits; a failed build drops the table again. */
async function buildNewRemote(
  source: string,
  batches: AsyncIterable<TextBatchIn>,
  options: BuildOptions,
): Promise<BuildResult> {
  const conn = await connect(dbUri(options.db));
  let table: Table;
  try {
    table = await newTable(conn, options, options.overwrite ? 'overwrite' : 'create');
  } catch (e) {
    throw withTableNames(e, options);
  }
  try {
    return await addRows(table, source, batches, options);
  } catch (e) {
    await conn.dropTable(names(options).table);
    throw withTableNames(e, options);
  }
}

const hasText = (t: string) => t.trim() !== '';

/** The static-embed function a table records: its options (model, dim, probe) and the column of its vectors. */
async function recordedFunction(
  table: Table,
): Promise<{ model?: StaticEmbedFunctionOptions; vectorColumn?: string } | undefined> {
  const json = (await table.schema()).metadata.get('embedding_functions');
  const fns = json
    ? (JSON.parse(json) as Array<{ name?: string; model?: StaticEmbedFunctionOptions; vectorColumn?: string }>)
    : [];
  return fns.find((x) => x.name === REGISTRY_NAME);
}

/**
 * What embeds a build's rows: the function the table records (probe check included), made with the build's `workers`,
 * which no table records; LanceDB then finds the vectors given. Undefined: no static-embed function is recorded.
 */
async function rowEmbedder(
  table: Table,
  workers: number,
): Promise<{ fn: StaticEmbedFunction; column: string } | undefined> {
  const f = await recordedFunction(table);
  if (!f) return undefined;
  return { fn: await staticEmbedFunction({ ...f.model, workers }), column: f.vectorColumn ?? 'vector' };
}

async function addRows(
  table: Table,
  source: string,
  batches: AsyncIterable<TextBatchIn>,
  options: BuildOptions,
): Promise<BuildResult> {
  const n = names(options);
  const quoted = source.replace(/'/g, "''");
  const done = options.resume ? await table.countRows(`starts_with(${n.id}, '${quoted}:')`) : 0;
  let added = 0,
    seen = 0;
  let embedder: Awaited<ReturnType<typeof rowEmbedder>> | null = null;
  for await (const b of batches) {
    const rows: Array<Record<string, string | number | Float32Array>> = [];
    b.texts.forEach((t, i) => {
      // blank lines are never stored, so they do not count towards the rows a resumed build skips
      if (!hasText(t) || seen++ < done) return;
      const c = b.chunks?.[i];
      if (c)
        rows.push({ [n.text]: t, [n.id]: `${source}:${c.doc}#${c.index}`, doc: c.doc, start: c.start, end: c.end });
      else rows.push({ [n.text]: t, [n.id]: `${source}:${b.firstLine + i}` });
    });
    if (rows.length > 0) {
      // made at the first rows to add (a resumed build that adds nothing loads no model)
      if (embedder === null) embedder = await rowEmbedder(table, options.workers ?? 1);
      if (embedder) {
        const vectors = await embedder.fn.generateEmbeddings(rows.map((r) => r[n.text] as string));
        rows.forEach((r, i) => (r[embedder!.column] = vectors[i]!));
      }
      await table.add(rows);
    }
    added += rows.length;
    options.onProgress?.(added);
  }
  // its worker threads, if any (the table keeps no reference to this function)
  if (embedder) await embedder.fn.model.close();
  const total = await table.countRows();
  if (added > 0 && total >= (options.annMinRows ?? 50_000)) await createAnnIndex(table, total);
  const annIndex = (await table.listIndices()).some((i) => i.columns.includes('vector'));
  return {
    added,
    skipped: Math.min(done, seen),
    rows: total,
    annIndex,
    model: (await recordedModel(table)) ?? undefined,
  };
}

/** The model a table records (undefined: the embedded default model), or null when no static-embed function is recorded. */
async function recordedModel(table: Table): Promise<string | undefined | null> {
  const f = await recordedFunction(table);
  if (!f) return null;
  const m = f.model?.model;
  return m === undefined || isDefaultModelName(m) ? undefined : m;
}

/** One spelling per model: the default model's folder (also for its recorded name), a local folder's real path, or the
 * Hub id as given. */
function canonicalModel(m: string | undefined): string {
  const p = m === undefined || isDefaultModelName(m) ? DEFAULT_MODEL_PATH : m;
  return existsSync(p) ? realpathSync(p) : p;
}

export const modelName = (m: string | undefined) =>
  m === undefined || canonicalModel(m) === canonicalModel(undefined) ? 'the embedded default model' : `"${m}"`;

/**
 * Throws INVALID_ARGUMENT when `model` or `dim` differ from what the table records (its own function embeds its rows
 * and queries). What is not given is taken from the table.
 */
export async function checkTableModel(
  table: Table,
  options: StoreOptions & { model?: string; dim?: number },
  use: 'append' | 'search',
): Promise<void> {
  const n = names(options);
  const where = `Table "${n.table}" in ${options.db}`;
  const recorded = await recordedModel(table);
  const width = await vectorWidth(table);
  // a table built from a local folder records its absolute path: the folder may have gone since
  if (options.model === undefined && typeof recorded === 'string' && isAbsolute(recorded) && !existsSync(recorded))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `${where} was built with model "${recorded}", which is missing (no folder at ${recorded}); its queries and ` +
        `appended rows are embedded by that model. Put the model folder back, or rebuild the table with another ` +
        `model: static-embed index build --overwrite [--model M] --input FILE --db ${options.db} --table ${n.table}.`,
    );
  if (options.model !== undefined && recorded !== null && canonicalModel(options.model) !== canonicalModel(recorded)) {
    const given = modelName(options.model),
      own = modelName(recorded);
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      use === 'append'
        ? `${where} holds ${await table.countRows()} rows embedded by ${own} (${width} dims), but model (--model) ` +
            `${given} was asked for; a table holds one model's vectors (appended rows are embedded by the table's own ` +
            `model). To embed with ${given}, build into a new table (--table NAME) or another --db, or replace this ` +
            `table with --overwrite (drops its rows, then builds from --input only); or drop --model to append with ${own}.`
        : `${where} was built with ${own} (${width} dims), but model (--model) ${given} was asked for; queries are ` +
            `embedded by the table's own model, so ${given} cannot apply. Drop --model to search with ${own}, or build ` +
            `a table with ${given} (static-embed index build --model ${options.model} --table NAME …) and search that.`,
    );
  }
  if (options.dim !== undefined && options.dim !== width)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      use === 'append'
        ? `${where} holds ${width}-dimensional vectors, but dim (--dim) ${options.dim} was asked for; appended rows ` +
            `are embedded by the table's own function at ${width}. Drop --dim (or give --dim ${width}) to append, build ` +
            `${options.dim}-dimensional vectors into a new table (--table NAME) or another --db, or replace the table ` +
            `with --overwrite.`
        : `${where} holds ${width}-dimensional vectors, but dim (--dim) ${options.dim} was asked for; queries are ` +
            `embedded at the table's width. Drop --dim (or give --dim ${width}).`,
    );
}

/** The width of the table's vector column. */
async function vectorWidth(table: Table): Promise<number> {
  const schema = await table.schema();
  return (schema.fields.find((f) => f.name === 'vector')!.type as { listSize: number }).listSize;
}

/** IVF-PQ over the vectors, cosine: √rows / 5 partitions (measured: bench/lancedb.ts), sub-vectors of 4 dimensions. */
export async function createAnnIndex(table: Table, rows: number): Promise<void> {
  const dim = await vectorWidth(table);
  await table.createIndex('vector', {
    config: Index.ivfPq({
      distanceType: 'cosine',
      numPartitions: Math.max(1, Math.round(Math.sqrt(rows) / 5)),
      numSubVectors: Math.max(1, Math.floor(dim / 4)),
    }),
    replace: true,
  });
}

/**
 * IVF-PQ search defaults: partitions probed, and candidates re-ranked with the full vectors (× topK). Measured with
 * bench/lancedb.ts (97,456 rows, 62 partitions): 20 probes gave recall@10 0.947, 40 probes 0.978 at about the same latency.
 */
export const ANN_SEARCH = { nprobes: 40, refine: 10 } as const;

export interface StoreHit {
  id: string;
  text: string;
  score: number;
  /** tables built from chunks: the document and the chunk's place in it (UTF-16 code units) */
  doc?: string;
  start?: number;
  end?: number;
}

export interface StoreSearchOptions extends StoreOptions {
  topK?: number;
  /** SQL filter over the table's columns */
  where?: string;
  /** ANN probes (default ANN_SEARCH.nprobes) and exact re-ranking of refine × topK candidates (default ANN_SEARCH.refine) */
  nprobes?: number;
  refine?: number;
  /** skip the ANN index: exact search */
  exact?: boolean;
}

/** The query's nearest texts: `table.search(text, "vector")` (LanceDB embeds the query with the table's function). */
export async function searchStore(table: Table, query: string, options: StoreSearchOptions): Promise<StoreHit[]> {
  const n = names(options);
  // the query embedded here, by the function the table records: LanceDB's own text search starts that embedding
  // before anything awaits it, so its failure (a changed model: INVALID_MODEL) would escape as an unhandled rejection
  const vector = await queryVector(table, query).catch((e: unknown) => {
    throw withTableNames(e, options);
  });
  // cosine, as the IVF-PQ index: LanceDB's default (L2) on unnormalized vectors is not 1 - cosine
  let q = (table.search(vector, 'vector') as VectorQuery).distanceType('cosine').limit(options.topK ?? 10);
  q = options.exact
    ? q.bypassVectorIndex()
    : q.nprobes(options.nprobes ?? ANN_SEARCH.nprobes).refineFactor(options.refine ?? ANN_SEARCH.refine);
  if (options.where) q = q.where(options.where);
  const chunked = (await table.schema()).fields.some((f) => f.name === 'doc');
  const rows = (await q
    .select([n.text, n.id, '_distance', ...(chunked ? ['doc', 'start', 'end'] : [])])
    .toArray()
    .catch((e: unknown) => {
      throw withTableNames(e, options);
    })) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: String(r[n.id]),
    text: String(r[n.text]),
    score: 1 - Number(r['_distance']),
    ...(chunked ? { doc: String(r.doc), start: Number(r.start), end: Number(r.end) } : {}),
  }));
}

/** The query's vector from the embedding function the table records (as LanceDB's text search computes it). */
async function queryVector(table: Table, query: string): Promise<number[]> {
  const functions = await getRegistry().parseFunctions((await table.schema()).metadata);
  const config = functions.values().next().value;
  if (!config)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      'The table records no embedding function: it was not built by static-embed index build; search it by vector.',
    );
  return Array.from(await config.function.computeQueryEmbeddings(query));
}

/** Bytes a store's folder takes on disk (files, recursively); null for an object-storage URI. */
export function diskBytes(db: string): number | null {
  if (isUri(db)) return null;
  let total = 0;
  for (const e of readdirSync(db, { withFileTypes: true })) {
    const p = join(db, e.name);
    total += e.isDirectory() ? diskBytes(p)! : statSync(p).size;
  }
  return total;
}
