/** Benchmark helpers: medians, machine facts, child-process timing, RESULTS.md sections. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Matrix } from '../src/math/matrix.js';
import { npyHeader } from '../src/cli/io/npy-writer.js';
import { updateReadme } from './readme-figures.js';
import { repoRoot } from './root.js';

export { repoRoot };

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** How busy the machine is: the 1-minute load average against the cores, and this process's nice value. */
export function loadNote(): string {
  return `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores, this process at nice ${os.getPriority()}`;
}

export interface ChildRun {
  seconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a command; wall time from spawn to exit, peak RSS from GNU time when available. */
export function timeChild(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ChildRun> {
  const gnuTime = existsSync('/usr/bin/time');
  const [file, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      let peakRssMb = NaN;
      if (gnuTime) {
        const lines = stderr.trimEnd().split('\n');
        peakRssMb = Number(lines.pop()) / 1024;
        stderr = lines.join('\n');
      }
      resolve({ seconds, peakRssMb, stdout, stderr, code: code ?? -1 });
    });
  });
}

/** The installed version of an npm package (read at run time, never typed into a result). */
export function npmVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(repoRoot(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

export function versionOf(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return (r.stdout || r.stderr || '').trim().split('\n')[0] ?? '';
}

/** Replaces (or appends) the section between <!-- name:start --> and <!-- name:end --> in bench/RESULTS.md, then the figures of README.md and docs/. */
export function writeSection(name: string, body: string): string {
  const path = join(repoRoot(), 'bench', 'RESULTS.md');
  const start = `<!-- ${name}:start -->`,
    end = `<!-- ${name}:end -->`;
  let doc = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmark results\n\nEvery section is written by the command it names; rerun it to refresh the numbers.\n';
  const block = `${start}\n${body.trim()}\n${end}`;
  const a = doc.indexOf(start),
    b = doc.indexOf(end);
  doc = a >= 0 && b > a ? doc.slice(0, a) + block + doc.slice(b + end.length) : doc.trimEnd() + '\n\n' + block + '\n';
  writeFileSync(path, doc);
  // the figures of README.md and docs/ are read from RESULTS.md: refresh them with the new section
  const changed = updateReadme();
  if (changed.length) console.log(`figures updated: ${changed.join(', ')}`);
  return path;
}

/** --name value options. */
export function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** The CLI arguments that encode a corpus to a float32 .npy with N workers (the encode and profile benchmarks). */
export function encodeNpyArgs(model: string, corpus: string, out: string, workers: number): string[] {
  return [
    'encode',
    '--model',
    model,
    '--input',
    corpus,
    '--format',
    'npy',
    '--output',
    out,
    '--overwrite',
    '--workers',
    String(workers),
    '--quiet',
  ];
}

/** Installs the transformers.js peer in bench/peers (never by npm ci: onnxruntime-node's binary download is skipped). */
export function ensureTransformersJs(): void {
  const dir = join(repoRoot(), 'bench', 'peers');
  if (existsSync(join(dir, 'node_modules', '@huggingface', 'transformers'))) return;
  console.log('installing the transformers.js peer in bench/peers …');
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
}

/** The EmbeddingBag ONNX export of a model (scripts/export-onnx.py with the reference Python), made once. */
export function ensureOnnxExport(python: string, modelDir: string, onnxDir: string): void {
  if (existsSync(join(onnxDir, 'model.onnx'))) return;
  console.log(`exporting ${modelDir} to ONNX …`);
  execFileSync(python, [join(repoRoot(), 'scripts', 'export-onnx.py'), modelDir, onnxDir], { stdio: 'inherit' });
}

/** A float32 matrix as an .npy file (for the Python peers). */
export function writeNpy(path: string, m: Matrix): void {
  writeFileSync(
    path,
    Buffer.concat([npyHeader(m.rows, m.cols), Buffer.from(m.data.buffer, m.data.byteOffset, m.rows * m.cols * 4)]),
  );
}
