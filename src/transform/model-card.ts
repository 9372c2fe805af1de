/**
 * The model card (README.md) of the folders static-embed writes, and reading one back.
 * See ARCHITECTURE.md, "Models written".
 */
import { modelInternals, type StaticModel } from '../model/static-model.js';
import type { ProfileName } from '../formats/layouts.js';
import { STATIC_EMBED_VERSION } from '../version.js';

export type SaveDtype = 'float32' | 'float16' | 'bfloat16' | 'int8';
export type SaveLayout = 'sentence-transformers' | 'model2vec';

/** A model's licence as found in its folder: the `license:` id of its README front matter, its LICENSE files. */
export interface SourceLicence {
  id?: string;
  files: Map<string, Uint8Array>;
}

/** What the card of a static-embed copy records about where it came from (see `copyHistory`). */
export interface CopyHistory {
  /** the original source, as that card names it */
  source: string;
  /** the original source's table, as that card describes it */
  sourceTable?: string;
  /** the transformations from the original source to that copy, in order */
  transformations: string[];
}

/** What a card records besides the model itself. */
export interface CardOptions {
  source?: string;
  revision?: string;
  transformations?: string[];
  licence?: SourceLicence;
  /** the card of the static-embed copy the model was read from: the new card continues its chain */
  earlier?: CopyHistory;
}

/** The title of the cards static-embed writes (it names no model: the card's Source line does). */
export const CARD_TITLE = 'Static embedding model';

/** Name of an int8 table: deliberately not `embeddings` / `embedding.weight`, so runtimes that cannot apply the scales refuse it. */
export const INT8_TABLE = 'int8_table';

/** The `license:` id in a model card's YAML front matter, if any. */
export function licenceId(readme: string): string | undefined {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  const m = front ? /^license:\s*["']?([^"'\s]+)["']?\s*$/m.exec(front[1]!) : null;
  return m?.[1];
}

/**
 * The library a folder of this layout and dtype is meant for (a model card's `library_name`). See ARCHITECTURE.md,
 * "Models written".
 */
export function libraryName(
  layout: SaveLayout,
  dtype: SaveDtype,
): 'sentence-transformers' | 'model2vec' | 'static-embed' {
  if (dtype === 'int8') return 'static-embed';
  if (layout === 'sentence-transformers') return 'sentence-transformers';
  return dtype === 'bfloat16' ? 'static-embed' : 'model2vec';
}

/**
 * Every library that loads a folder of this layout and dtype, static-embed first: its `library_name`, and model2vec
 * also for a sentence-transformers folder in float32/float16 (it reads that table and tokenizer, with its own rules).
 */
export function loaders(layout: SaveLayout, dtype: SaveDtype): string[] {
  const library = libraryName(layout, dtype);
  const out = ['static-embed', ...(library === 'static-embed' ? [] : [library])];
  if (library === 'sentence-transformers' && dtype !== 'bfloat16') out.push('model2vec');
  return out;
}

/** The profile static-embed reads a folder of this layout with (its default; `--profile` overrides it). */
export const layoutProfile = (layout: SaveLayout): ProfileName =>
  layout === 'model2vec' ? 'model2vec' : 'sentence-transformers';

/** One way to write a table's dtype: the names of `--dtype` (safetensors codes such as F16 or I8+scales mapped to them). */
export function dtypeName(dtype: string): string {
  const scaled = dtype.endsWith('+scales');
  const code = scaled ? dtype.slice(0, -'+scales'.length) : dtype;
  const names: Record<string, string> = {
    F64: 'float64',
    F32: 'float32',
    F16: 'float16',
    BF16: 'bfloat16',
    I8: 'int8',
    U8: 'uint8',
  };
  const name = names[code] ?? code;
  return scaled || dtype === 'int8' ? `${name} with one float32 scale per row` : name;
}

/** "rows × dim, dtype" as a card's table lines write it. */
export const tableDescription = (rows: number, dim: number, dtype: string): string =>
  `${rows.toLocaleString('en-US')} × ${dim}, ${dtypeName(dtype)}`;

/** model2vec's tokenization rules as they apply to this model's tokenizer (Unigram models keep their unknown token). */
function model2vecRules(model: StaticModel): { dropsUnk: boolean; text: string; texts: string } {
  const tok = modelInternals.core(model).tokenizer;
  const dropsUnk = tok.modelKind !== 'Unigram' && tok.unkId !== undefined;
  const unk = tok.unkId !== undefined && tok.tokenToId('[UNK]') === tok.unkId ? ' ([UNK])' : '';
  return {
    dropsUnk,
    text: `${dropsUnk ? `drops the unknown token${unk} and ` : ''}keeps only the first 512 tokens of a text`,
    texts: `texts ${dropsUnk ? 'with an unknown token or ' : ''}with more than 512 tokens`,
  };
}

/**
 * When static-embed reads the copy with another profile than the source was read with (the layout decides the
 * default profile): what changes and how to keep the source's embeddings; undefined when nothing changes.
 */
export function profileChange(model: StaticModel, layout: SaveLayout): string | undefined {
  const copy = layoutProfile(layout),
    source = model.profile;
  if (copy === source) return undefined;
  const m2v = model2vecRules(model);
  return (
    `static-embed reads this ${layout}-layout copy with the ${copy} profile, while the model it was converted from ` +
    `was read with the ${source} profile: the model2vec profile ${m2v.text}, the sentence-transformers profile ` +
    `does not. So ${m2v.texts} get different embeddings from the copy than from that model; load the copy with ` +
    `--profile ${source} (API: { profile: '${source}' }) to get its embeddings.`
  );
}

/** The card of a model static-embed writes. */
export function modelCard(
  model: StaticModel,
  layout: SaveLayout,
  dtype: SaveDtype,
  normalize: boolean,
  o: CardOptions,
): string {
  const info = model.info();
  const steps = [...(o.earlier?.transformations ?? [])];
  if (info.sourceDim !== info.dim)
    steps.push(`kept the first ${info.dim} of ${info.sourceDim} dimensions (Matryoshka truncation)`);
  steps.push(...(o.transformations ?? []), `stored the table as ${dtypeName(dtype)}`);
  const licence = o.licence;
  const licenceFiles = [...(licence?.files.keys() ?? [])];
  const library = libraryName(layout, dtype);
  const readers = loaders(layout, dtype);
  const inModel2vec = layout === 'sentence-transformers' && readers.includes('model2vec');
  const m2v = model2vecRules(model);
  const change = profileChange(model, layout);
  const source = o.earlier
    ? o.earlier.source
    : `${o.source ?? 'unknown'}${o.revision ? ` (revision ${o.revision})` : ''}`;
  const sourceTable = o.earlier?.sourceTable ?? tableDescription(info.tableRows, info.sourceDim, info.dtype);
  const sections: string[] = [];
  if (inModel2vec || change)
    sections.push(`## Tokenization

${
  inModel2vec
    ? `sentence-transformers tokenizes this folder as static-embed does: the same embeddings (it averages a float16
table in float16 unless the model is loaded with \`.float()\`). model2vec loads it too, but with its own rules: it
${m2v.text}. So ${m2v.texts} get different embeddings in model2vec; the others agree. static-embed
reproduces model2vec's embeddings with \`--profile model2vec\`.
`
    : ''
}${change ? `${inModel2vec ? '\n' : ''}${change}\n` : ''}`);
  if (licence?.id || licenceFiles.length)
    sections.push(`## Licence

A derivative of the source model, under its licence${licence?.id ? ` (${licence.id})` : ''}${
      licenceFiles.length ? `: see ${licenceFiles.join(', ')} (copied from the source)` : ''
    }.
`);
  if (dtype === 'int8')
    sections.push(`## int8 tables

The table is stored as \`${INT8_TABLE}\` (int8, rows × dim) with \`scales\` (float32, one per row): a row's values are
\`${INT8_TABLE}[r] * scales[r]\`. static-embed applies the scales when it loads the model. sentence-transformers and
model2vec cannot: the table deliberately has none of the names they look for, so they refuse the file instead of
computing wrong embeddings. Convert to float16 for them.
`);
  return `---
${licence?.id ? `license: ${licence.id}\n` : ''}library_name: ${library}
tags: [${['static-embeddings', ...readers.filter((r) => r !== 'static-embed')].join(', ')}]
---

# ${CARD_TITLE}

Written by static-embed ${STATIC_EMBED_VERSION} in the ${layout} layout.

- Source: ${source}
- Source table: ${sourceTable}
- This table: ${tableDescription(info.tableRows, info.dim, dtype)}
- Normalize: ${normalize}; similarity: ${info.similarityFnName}
- Loads in: ${readers.map((r) => (r === 'model2vec' && inModel2vec ? 'model2vec (its own tokenization: see below)' : r)).join(', ')}

## Transformations

${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}
${sections.map((s) => `\n${s}`).join('')}`;
}

/**
 * What the card of a folder static-embed wrote records about its origin (its source, that source's table, the
 * transformations so far); undefined for any other card.
 */
export function copyHistory(readme: string): CopyHistory | undefined {
  const body = readme.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  if (/^# +(.+?)\s*$/m.exec(body)?.[1] !== CARD_TITLE) return undefined;
  const source = /^- Source: (.+)$/m.exec(body)?.[1];
  if (source === undefined) return undefined;
  const sourceTable = /^- Source table: (.+)$/m.exec(body)?.[1];
  const steps = /^## Transformations\r?\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(body)?.[1] ?? '';
  const transformations = [...steps.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]!);
  return { source, ...(sourceTable ? { sourceTable } : {}), transformations };
}
