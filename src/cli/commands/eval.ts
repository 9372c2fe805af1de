import { printLine } from '../io/stdout.js';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { QUICK_SUBSET } from '../../evaluate/subset.js';
import { chartSvg, loadReferences, reportHtml, reportMarkdown } from '../../runtime/node/eval-report.js';
import { checkDims, runEvaluation, writeMtebJson } from '../../runtime/node/eval-run.js';
import type { Command } from '../command.js';
import { evalDataDir } from '../eval-data.js';
import { EVAL_OUT, checkOutFolder, writeOutFolder } from '../io/out-folder.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg, portableModelName } from '../model-arg.js';
import { parseIntegerList } from '../io/numbers.js';

/** The paths a report's command line shows by their base names. */
const PATH_OPTIONS = ['data', 'file', 'out'];

/** The command line as the report records it: --model by its portable name, path options by their base names. */
export function portableCommand(argv: readonly string[], modelName: string): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const m = /^--([\w-]+)(=(.*))?$/s.exec(a);
    const name = m?.[1];
    if (!m || (name !== 'model' && !PATH_OPTIONS.includes(name!))) {
      out.push(a);
      continue;
    }
    const value = m[2] !== undefined ? m[3]! : argv[++i];
    if (value === undefined) {
      out.push(a);
      break;
    }
    const shown = name === 'model' ? modelName : basename(value) || value;
    out.push(`--${name}`, /^[\w.,/@:+=-]+$/.test(shown) ? shown : JSON.stringify(shown));
  }
  return ['static-embed', ...out].join(' ');
}

export const evaluate: Command = {
  name: 'eval',
  summary:
    'MTEB-compatible evaluation (STS, bitext mining, pair classification, classification) with the Matryoshka curve.',
  usage:
    'static-embed eval [--model M] [--tasks sts,bitext,pairs,classification or task names, e.g. STSbCrossLingual] ' +
    '[--dims 32,64,…] [--out DIR [--overwrite]] [--quick] [--data DIR] [--file FILE …] [--workers N] [--quiet]',
  details: [
    '--data DIR: the datasets folder (default: $STATIC_EMBED_EVAL_DATA; without either, the error lists ' +
      'the public datasets to get); --file: your own .csv/.tsv/.jsonl with text1, text2 and score or label.',
    "--dims: Matryoshka dimensions to score, each from 1 to the model's dimension (default: the model's).",
    `--quick: a few languages per task, each a random sample of at most ${QUICK_SUBSET.rows} rows drawn with the fixed ` +
      `seed ${QUICK_SUBSET.seed} (the same rows every run; pairs, bitext sides and labels kept aligned), in well under a ` +
      'minute; labelled as a quick subset and not compared with published full-set scores.',
    '--out DIR (a folder; default eval-out): MTEB-format JSON per task and dimension (with --quick, a "sample" ' +
      'field names the sample), report.md, chart.svg, report.html. A new or empty folder, or the folder of a previous ' +
      'eval, whose results are replaced (a note says so); a folder with other files is refused (exit 2) unless ' +
      '--overwrite is given, which replaces the eval results in it and leaves the other files alone.',
    'They name the model without paths of this machine (model_name, the report): the embedded model by its id ' +
      "(e.g. static-embed-default-v2), a Hub id as given, a local folder by its card's model id or else its folder name; " +
      "the report's command line shows --data, --file and --out by their base names.",
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    tasks: { type: 'string' },
    dims: { type: 'string' },
    out: { type: 'string' },
    overwrite: { type: 'boolean' },
    quick: { type: 'boolean' },
    data: { type: 'string' },
    file: { type: 'string', multiple: true },
    quiet: { type: 'boolean' },
    workers: { type: 'string' },
  },
  async run(args) {
    const dimList = args.optionalString('dims');
    const dims = dimList !== undefined ? parseIntegerList(dimList, 'dims') : undefined;
    const tasks = args.optionalString('tasks')?.split(',');
    const files = (args.values.file as string[] | undefined) ?? [];
    // only your own files: no datasets folder needed
    const dataDir = evalDataDir(
      args,
      tasks,
      files.length > 0 && args.optionalString('data') === undefined && process.env.STATIC_EMBED_EVAL_DATA === undefined,
    );
    const out = resolve(args.optionalString('out') ?? 'eval-out');
    const outState = checkOutFolder(out, EVAL_OUT, args.boolean('overwrite'));
    const model = await loadModelArg(args);
    try {
      checkDims(dims, model.dim, '--dims');
    } catch (e) {
      await model.close();
      throw e;
    }
    const quiet = args.boolean('quiet') || !process.stderr.isTTY;
    const started = performance.now();
    const run = await runEvaluation(model, {
      ...(dataDir === '' ? { tasks: [] } : tasks ? { tasks } : {}),
      ...(dims ? { dims } : {}),
      quick: args.boolean('quick'),
      dataDir,
      files,
      workers: args.int('workers', os.availableParallelism()),
      onProgress: (m) => {
        if (!quiet) process.stderr.write(`\r${m}\x1b[K`);
      },
    });
    if (!quiet) process.stderr.write('\n');
    // results and reports are shared: they name the model and files without this machine's paths
    const modelName = portableModelName(args.string('model'));
    const refs = loadReferences(join(dataDir, '..', 'reference', 'mteb-results', 'SUMMARY.tsv'));
    const md = reportMarkdown(run, refs, {
      model: modelName,
      command: portableCommand(process.argv.slice(2), modelName),
      date: new Date().toISOString().slice(0, 10),
      machine: `${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, Node ${process.version}`,
    });
    const svg = chartSvg(run);
    // the run succeeded: a new folder is written beside --out and swapped in (a failed run leaves the old results)
    const written = writeOutFolder(out, EVAL_OUT, (folder) => {
      const files = writeMtebJson(run, folder, modelName);
      writeFileSync(join(folder, 'report.md'), md);
      writeFileSync(join(folder, 'chart.svg'), svg + '\n');
      writeFileSync(join(folder, 'report.html'), reportHtml(md, svg));
      return files;
    });
    printLine(md.split('## Matryoshka curve')[0]!.split('## Per language')[0]!.trimEnd());
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const count = `${written.length} result file${written.length === 1 ? '' : 's'}`;
    printLine(`\n${count}, report.md, chart.svg and report.html in ${out} (${seconds} s).`);
    if (outState !== 'new')
      printLine(
        outState === 'previous'
          ? `Replaced the results of a previous eval in ${out}.`
          : `Replaced the eval results in ${out} (--overwrite); its other files were left alone.`,
      );
  },
};
