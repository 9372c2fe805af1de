/**
 * A static-embed embedding function for LanceDB, registered in its embedding registry as "static-embed".
 * See ARCHITECTURE.md, "Integrations".
 */
import { TextEmbeddingFunction, getRegistry } from '@lancedb/lancedb/embedding';
import { StaticEmbedError } from '../../../errors.js';
import { DEFAULT_MODEL_NAME, isDefaultModelName, loadDefaultModel } from '../default-model.js';
import { StaticModel } from '../api.js';

export const REGISTRY_NAME = 'static-embed';

const isDefault = (model: string | undefined) => model === undefined || isDefaultModelName(model);

export interface StaticEmbedFunctionOptions {
  /**
   * model folder or Hub id (default: the embedded default model, recorded as "static-embed-default"; its id, e.g.
   * "static-embed-default-v2", names it too)
   */
  model?: string;
  /** keep the first N dimensions (Matryoshka truncation) */
  dim?: number;
  /** threads for encoding in this process (default 1); a per-machine setting, not recorded with the table */
  workers?: number;
  /**
   * Set by the function itself and recorded with the table: the model's embedding of a fixed probe text (its first
   * values). A later model that embeds it differently is INVALID_MODEL, not mismatched vectors.
   */
  probe?: number[];
}

/** Where the INVALID_MODEL message names the table (the store, which knows it, fills in the real --db and --table). */
export const TABLE_PLACEHOLDER = '--db DIR [--table T]';

/** A fixed text in several scripts: its embedding identifies a model (tokenizer, table, dimensions, normalization). */
const PROBE_TEXT =
  'static-embed probe: The quick brown fox jumps over the lazy dog. 敏捷的棕色狐狸 Быстрая лиса 素早い狐 0123';
const PROBE_VALUES = 8;

function probeOf(model: StaticModel): number[] {
  return Array.from(model.encode([PROBE_TEXT]).row(0).slice(0, PROBE_VALUES), (x) => Number(x.toPrecision(7)));
}

/** The probes of one model agree up to float rounding (they were rounded to 7 significant digits). */
const sameProbe = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= 1e-4 * Math.max(1, Math.abs(x)));

export class StaticEmbedFunction extends TextEmbeddingFunction<StaticEmbedFunctionOptions> {
  private loaded: StaticModel | undefined;
  private probe: number[] | undefined;
  private readonly options: StaticEmbedFunctionOptions;

  constructor(options: StaticEmbedFunctionOptions = {}) {
    super();
    this.options = this.resolveVariables(options);
  }

  override async init(): Promise<void> {
    const load = this.options.dim !== undefined ? { truncateDim: this.options.dim } : {};
    const model = this.options.model;
    this.loaded ??= isDefault(model) ? await loadDefaultModel(load) : await StaticModel.fromPretrained(model!, load);
    this.probe = probeOf(this.loaded);
    const recorded = this.options.probe;
    if (recorded !== undefined && !sameProbe(recorded, this.probe))
      throw new StaticEmbedError(
        'INVALID_MODEL',
        `${isDefault(model) ? 'The embedded default model' : `Model "${model}"`} is not ` +
          `the model this table's vectors were made with: it embeds a fixed probe text differently than when the table ` +
          `was created (first value ${recorded[0]} then, ${this.probe[0]} now) — an upgraded static-embed default model, ` +
          `or a model folder replaced since. Queries and rows embedded now would not match the stored vectors. Rebuild ` +
          `the table with the current model (static-embed index build --overwrite ` +
          `${isDefault(model) ? '' : `--model ${model} `}--input FILE ${TABLE_PLACEHOLDER}), or put the original ` +
          `model back.`,
      );
  }

  /** The options a table records ({ model, dim, probe }): the model by name, without this machine's settings (workers). */
  override toJSON(): StaticEmbedFunctionOptions {
    const o = { ...(super.toJSON() as StaticEmbedFunctionOptions) };
    delete o.workers;
    return { ...o, model: o.model ?? DEFAULT_MODEL_NAME, ...(this.probe ? { probe: this.probe } : {}) };
  }

  /** The loaded model (after init). */
  get model(): StaticModel {
    if (!this.loaded) throw new Error('StaticEmbedFunction: call init() (or create it through the registry) first.');
    return this.loaded;
  }

  override ndims(): number | undefined {
    return this.loaded?.dim ?? this.options.dim;
  }

  /**
   * Unit vectors, whatever the model's own normalization: on them LanceDB's default metric (squared L2, 2 − 2·cos)
   * ranks as cosine does, with or without `.distanceType('cosine')` (which tables cannot record).
   */
  async generateEmbeddings(texts: string[]): Promise<Float32Array[]> {
    const m = this.model.encode(texts, { workers: this.options.workers ?? 1, normalize: true });
    return Array.from({ length: m.rows }, (_, i) => m.data.slice(i * m.cols, (i + 1) * m.cols));
  }
}

/** Registers StaticEmbedFunction as "static-embed" in LanceDB's registry (once per process). */
export function registerStaticEmbed(): void {
  const registry = getRegistry();
  if (!registry.get(REGISTRY_NAME)) registry.register(REGISTRY_NAME)(StaticEmbedFunction);
}

/**
 * A ready StaticEmbedFunction through the registry (so tables record it): LanceDB embeds added texts and queries.
 *
 * @example
 * ```ts
 * import { connect } from '@lancedb/lancedb';
 * import { LanceSchema } from '@lancedb/lancedb/embedding';
 * import { staticEmbedFunction } from 'static-embed/lancedb';
 *
 * const fn = await staticEmbedFunction({ model: 'static-embed-default' });
 * const schema = LanceSchema({ text: fn.sourceField(), vector: fn.vectorField() });
 * const db = await connect('lancedb-function-example');
 * const table = await db.createEmptyTable('notes', schema, { mode: 'overwrite' });
 * await table.add([{ text: 'The cat sleeps on the sofa.' }, { text: 'Stocks fell on Monday.' }]);
 * const [hit] = await table.search('Where is the cat?').limit(1).toArray();
 * console.log(hit.text); // → The cat sleeps on the sofa.
 * ```
 */
export async function staticEmbedFunction(options: StaticEmbedFunctionOptions = {}): Promise<StaticEmbedFunction> {
  registerStaticEmbed();
  const f = getRegistry().get<StaticEmbedFunction>(REGISTRY_NAME)!.create(options);
  const fn = (await f) as StaticEmbedFunction;
  await fn.init();
  return fn;
}
