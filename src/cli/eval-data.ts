/**
 * Where `eval` and `convert --eval` find the public evaluation datasets (--data, STATIC_EMBED_EVAL_DATA).
 * See ARCHITECTURE.md, "CLI rules".
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StaticEmbedError } from '../errors.js';
import { checkTasks } from '../runtime/node/eval-run.js';
import type { Args } from './command.js';

interface Dataset {
  folder: string;
  tasks: string[];
  files: string;
  source: string;
}

const DATASETS: readonly Dataset[] = [
  {
    folder: 'stsb-multi-mt',
    tasks: ['sts', 'stsbenchmarkmultilingualsts', 'stsbcrosslingual'],
    files: 'data/stsb-{de,en,es,fr,it,nl,pl,pt,ru,zh}-{dev,test}.csv (sentence1,sentence2,score; no header)',
    source: 'STSb multi-mt, https://github.com/PhilipMay/stsb-multi-mt (its data/ folder)',
  },
  {
    folder: 'tatoeba',
    tasks: ['bitext', 'tatoeba'],
    files: 'tatoeba.{xxx}-eng.{xxx,eng} (one sentence per line, 112 languages)',
    source: "LASER's Tatoeba test set, https://github.com/facebookresearch/LASER (data/tatoeba/v1)",
  },
  {
    folder: 'pawsx',
    tasks: ['pairs', 'pawsxpairclassification'],
    files: 'dev-{de,en,es,fr,ja,ko,zh}.tsv (sentence1<TAB>sentence2<TAB>label 0/1)',
    source: 'PAWS-X as packaged by XTREME, https://github.com/google-research-datasets/paws (pawsx)',
  },
  {
    folder: 'xnli',
    tasks: ['pairs', 'xnli'],
    files:
      'dev-{ar,bg,de,el,en,es,fr,hi,ru,sw,th,tr,ur,vi,zh}.tsv (premise<TAB>hypothesis<TAB>entailment|neutral|contradiction)',
    source: 'XNLI dev set, https://github.com/facebookresearch/XNLI',
  },
  {
    folder: 'multilingual-sentiment',
    tasks: ['classification', 'multilingualsentiment'],
    files: '{english,german,…}/{train,test}.csv (text,label,source)',
    source: 'https://github.com/tyqiangz/multilingual-sentiment-datasets',
  },
];

function howToGet(missing: readonly Dataset[], dir: string | undefined): string {
  return [
    ...missing.map((d) => `  - ${d.folder}/${d.files} — from ${d.source}`),
    `Put them in one folder${dir ? ` (${dir})` : ''} with those sub-folders and pass --data DIR or set ` +
      `STATIC_EMBED_EVAL_DATA=DIR; or evaluate your own file with --file FILE (columns text1, text2 and score or label).`,
  ].join('\n');
}

/** The datasets folder for the given task list (undefined = all tasks); throws NOT_FOUND with instructions. */
export function evalDataDir(args: Args, tasks: readonly string[] | undefined, optional: boolean): string {
  const given = args.optionalString('data') ?? process.env.STATIC_EMBED_EVAL_DATA;
  const want = checkTasks(tasks);
  const needed = DATASETS.filter((d) => d.tasks.some((t) => want.includes(t)));
  if (given === undefined || given === '') {
    if (optional) return '';
    throw new StaticEmbedError(
      'NOT_FOUND',
      `no evaluation datasets: give --data DIR (or set STATIC_EMBED_EVAL_DATA). The ` +
        `package ships none; get these public datasets:\n${howToGet(needed, undefined)}`,
    );
  }
  const dir = resolve(given);
  const missing = needed.filter((d) => !existsSync(join(dir, d.folder)));
  if (missing.length > 0 && !optional) {
    throw new StaticEmbedError(
      'NOT_FOUND',
      `the datasets folder ${dir} lacks ${missing.map((d) => `${d.folder}/`).join(', ')}. Get them:\n${howToGet(missing, dir)}`,
    );
  }
  return dir;
}
