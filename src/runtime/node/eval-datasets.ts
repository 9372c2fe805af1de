/**
 * The evaluation datasets of ../shared/eval (Node: reads files), as MTEB names and splits them.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { column, parseTable } from '../../formats/table.js';
import type { EvalItem } from '../../evaluate/task.js';

function lines(path: string): string[] {
  const t = readFileSync(path, 'utf8').split('\n');
  if (t[t.length - 1] === '') t.pop();
  return t.map((l) => l.replace(/\r$/, ''));
}

function csvNoHeader(path: string): string[][] {
  // stsb-multi-mt: "sentence1,sentence2,score" with RFC 4180 quoting and no header line
  return parseTable('a,b,score\n' + readFileSync(path, 'utf8'), path, 'csv').records.map((r) => [
    String(r.values.a),
    String(r.values.b),
    String(r.values.score),
  ]);
}

export const STSB_LANGS = ['en', 'de', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'ru', 'zh'];

export function stsb(root: string, split: 'test' | 'dev', langs = STSB_LANGS): EvalItem[] {
  return langs.map((lang) => {
    const rows = csvNoHeader(join(root, 'stsb-multi-mt', 'data', `stsb-${lang}-${split}.csv`));
    return {
      task: 'STSBenchmarkMultilingualSTS',
      type: 'sts',
      split,
      subset: lang,
      a: rows.map((r) => r[0]!),
      b: rows.map((r) => r[1]!),
      scores: rows.map((r) => Number(r[2]) / 5),
    };
  });
}

/** The languages paired with English in the cross-lingual STSb task. */
export const STSB_CROSS_LANGS = STSB_LANGS.filter((l) => l !== 'en');

/**
 * Cross-lingual STSb (en-xx): stsb-multi-mt's translations are row-aligned with the English split, so sentence 1
 * in English and sentence 2 in xx (and, reversed, xx then English) keep the English gold score. A language's
 * score is the mean of both directions.
 */
export function stsbCrossLingual(root: string, split: 'test' | 'dev' = 'test', langs = STSB_CROSS_LANGS): EvalItem[] {
  const read = (lang: string) => csvNoHeader(join(root, 'stsb-multi-mt', 'data', `stsb-${lang}-${split}.csv`));
  const en = read('en');
  return langs.map((lang) => {
    const x = read(lang);
    if (x.length !== en.length)
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `stsb-multi-mt ${split}: ${en.length} English rows but ${x.length} ${lang} rows; the files must be aligned.`,
      );
    return {
      task: 'STSbCrossLingual',
      type: 'sts',
      split,
      subset: `en-${lang}`,
      a: en.map((r) => r[0]!),
      b: x.map((r) => r[1]!),
      scores: en.map((r) => Number(r[2]) / 5),
      reverse: { a: x.map((r) => r[0]!), b: en.map((r) => r[1]!) },
    };
  });
}

export function tatoebaPairs(root: string): string[] {
  return [
    ...new Set(
      readdirSync(join(root, 'tatoeba'))
        .filter((f) => /^tatoeba\.[a-z]+-eng\.[a-z]+$/.test(f))
        .map((f) => f.split('.')[1]!.split('-')[0]!),
    ),
  ].sort();
}

export function tatoeba(root: string, langs = tatoebaPairs(root)): EvalItem[] {
  return langs.map((lang) => {
    const src = lines(join(root, 'tatoeba', `tatoeba.${lang}-eng.${lang}`));
    const eng = lines(join(root, 'tatoeba', `tatoeba.${lang}-eng.eng`));
    if (src.length !== eng.length)
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `tatoeba ${lang}-eng: ${src.length} and ${eng.length} lines; the files must be aligned.`,
      );
    return { task: 'Tatoeba', type: 'bitext', split: 'test', subset: `${lang}-eng`, a: src, b: eng };
  });
}

export const PAWSX_LANGS = ['de', 'en', 'es', 'fr', 'ja', 'ko', 'zh'];

export function pawsx(root: string, langs = PAWSX_LANGS): EvalItem[] {
  // the test files of this copy have no labels; the labelled dev sets are MTEB's "validation" split
  return langs.map((lang) => {
    const rows = lines(join(root, 'pawsx', `dev-${lang}.tsv`))
      .map((l) => l.split('\t'))
      .filter((r) => r.length === 3);
    return {
      task: 'PawsXPairClassification',
      type: 'pairs',
      split: 'validation',
      subset: lang,
      a: rows.map((r) => r[0]!),
      b: rows.map((r) => r[1]!),
      scores: rows.map((r) => Number(r[2])),
    };
  });
}

export const XNLI_LANGS = ['ar', 'bg', 'de', 'el', 'en', 'es', 'fr', 'hi', 'ru', 'sw', 'th', 'tr', 'ur', 'vi', 'zh'];

export function xnli(root: string, langs = XNLI_LANGS): EvalItem[] {
  // MTEB's XNLI pair classification: entailment = 1, contradiction = 0, neutral left out
  return langs.map((lang) => {
    const rows = lines(join(root, 'xnli', `dev-${lang}.tsv`))
      .map((l) => l.split('\t'))
      .filter((r) => r[2] === 'entailment' || r[2] === 'contradiction');
    return {
      task: 'XNLI',
      type: 'pairs',
      split: 'validation',
      subset: lang,
      a: rows.map((r) => r[0]!),
      b: rows.map((r) => r[1]!),
      scores: rows.map((r) => (r[2] === 'entailment' ? 1 : 0)),
    };
  });
}

export function sentimentLangs(root: string): string[] {
  const d = join(root, 'multilingual-sentiment');
  return readdirSync(d)
    .filter((x) => existsSync(join(d, x, 'train.csv')) && existsSync(join(d, x, 'test.csv')))
    .sort();
}

export function sentiment(root: string, langs = sentimentLangs(root)): EvalItem[] {
  return langs.map((lang) => {
    const read = (split: string) => {
      const p = join(root, 'multilingual-sentiment', lang, `${split}.csv`);
      const t = parseTable(readFileSync(p, 'utf8'), p, 'csv');
      return { texts: column(t, 'text') as string[], labels: column(t, 'label') as string[] };
    };
    const tr = read('train'),
      te = read('test');
    return {
      task: 'MultilingualSentiment',
      type: 'classification',
      split: 'test',
      subset: lang,
      a: tr.texts,
      b: te.texts,
      trainLabels: tr.labels,
      testLabels: te.labels,
    };
  });
}

/**
 * A user's own file: columns text1, text2 and score (STS), label (0/1 pairs) — .csv, .tsv or .jsonl. Its task is
 * named `custom:NAME`, by default the file's base name (results are shared: no path of this machine).
 */
export function customFile(path: string, name = basename(path)): EvalItem {
  const t = parseTable(readFileSync(path, 'utf8'), path);
  const a = column(t, 'text1') as string[],
    b = column(t, 'text2') as string[];
  if (t.columns.includes('score'))
    return {
      task: `custom:${name}`,
      type: 'sts',
      split: 'test',
      subset: 'default',
      a,
      b,
      scores: column(t, 'score', 'number') as number[],
    };
  if (t.columns.includes('label'))
    return {
      task: `custom:${name}`,
      type: 'pairs',
      split: 'test',
      subset: 'default',
      a,
      b,
      scores: column(t, 'label', 'number') as number[],
    };
  throw new StaticEmbedError(
    'INVALID_INPUT',
    `${path}: needs columns text1, text2 and either score (STS) or label (0/1 pair classification); found ${t.columns.join(', ')}.`,
  );
}
