/** Every code block of README.md and docs/*.md runs: ts/js as ES modules against this package, bash/sh as commands. */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blocksOf,
  docPages,
  inOrder,
  promisedOutput,
  RUN_LANGS,
  SHOWN_LANGS,
  shellPrelude,
  shellSteps,
  toModule,
  typeErrors,
  type DocBlock,
} from '../helpers/doc-blocks.js';
import { SEED_IDS, skipWithoutSeedHub, startSeedHub, type SeedHub } from '../helpers/seed-hub.js';
import { REPO_ROOT } from '../helpers/shared.js';

const BLOCK_TIMEOUT_MS = 180_000;

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The port `serve` listens on when none is given, as its --help says. */
function defaultServePort(): number {
  const help = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'static-embed.js'), 'serve', '--help'], {
    encoding: 'utf8',
  });
  const m = /--port (\d+)/.exec(help.stdout);
  assert.ok(m, `serve --help names its default port: ${help.stdout}`);
  return Number(m[1]);
}

/** One page's run: its working folder (a copy of examples/data), environment, servers and port rewrites. */
class PageRun {
  readonly dir = mkdtempSync(join(REPO_ROOT, 'dist', 'docs-run-'));
  readonly servers: ChildProcess[] = [];
  readonly ports = new Map<number, number>();
  constructor(readonly env: NodeJS.ProcessEnv) {
    cpSync(join(REPO_ROOT, 'examples', 'data'), join(this.dir, 'examples', 'data'), { recursive: true });
  }
  /** The block's code with the documented server ports replaced by the ports this run's servers listen on. */
  rewrite(code: string): string {
    let out = code;
    for (const [from, to] of this.ports)
      out = out.replace(new RegExp(`(localhost|127\\.0\\.0\\.1):${from}\\b`, 'g'), `$1:${to}`);
    return out;
  }
  async close(): Promise<void> {
    for (const s of this.servers) {
      if (s.exitCode !== null) continue;
      const exited = new Promise((r) => s.once('exit', r));
      s.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a process without blocking this one (the mock Hub answers from this process's event loop). */
interface Ran {
  code: number | null;
  out: string;
  err: string;
}

async function runProcess(cmd: string, args: string[], run: PageRun): Promise<Ran> {
  const child = spawn(cmd, args, { cwd: run.dir, env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), BLOCK_TIMEOUT_MS);
  const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  clearTimeout(timer);
  return { code, out: stdout, err: stderr };
}

async function runModule(block: DocBlock, run: PageRun): Promise<void> {
  const file = join(run.dir, `block-${block.line}.mjs`);
  writeFileSync(file, toModule(run.rewrite(block.code)));
  const r = await runProcess(process.execPath, [file], run);
  assert.equal(r.code, 0, `${block.page}:${block.line} exited with ${r.code}\n${r.err}`);
  const missing = inOrder(r.out.split('\n'), promisedOutput(block.code));
  assert.equal(missing, undefined, `${block.page}:${block.line} did not print "${missing}"; it printed:\n${r.out}`);
}

/** Starts `static-embed serve …` on a free port and waits for /health; the page's later blocks reach it there. */
async function startServer(command: string, block: DocBlock, run: PageRun, fallbackPort: number): Promise<void> {
  const port = await freePort();
  const given = /--port[ =](\d+)/.exec(command);
  run.ports.set(given ? Number(given[1]) : fallbackPort, port);
  const cli = JSON.stringify(join(REPO_ROOT, 'bin', 'static-embed.js'));
  const line = given
    ? command
        .replace(/(?:npx\s+)?static-embed\s+serve\b/, `exec node ${cli} serve`)
        .replace(/--port[ =]\d+/, `--port ${port}`)
    : command.replace(/(?:npx\s+)?static-embed\s+serve\b/, `exec node ${cli} serve --port ${port}`);
  const child = spawn('bash', ['-c', shellPrelude() + line], { cwd: run.dir, env: run.env, stdio: 'pipe' });
  run.servers.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const deadline = Date.now() + BLOCK_TIMEOUT_MS;
  for (;;) {
    assert.equal(child.exitCode, null, `${block.page}:${block.line}: serve exited (${child.exitCode})\n${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    assert.ok(Date.now() < deadline, `${block.page}:${block.line}: serve never became healthy\n${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runShell(block: DocBlock, run: PageRun, servePort: number): Promise<void> {
  for (const step of shellSteps(block.code)) {
    if (step.serve) {
      await startServer(run.rewrite(step.command), block, run, servePort);
      continue;
    }
    const r = await runProcess('bash', ['-c', shellPrelude() + run.rewrite(step.command)], run);
    assert.equal(r.code, 0, `${block.page}:${block.line} exited with ${r.code}\n${r.out}\n${r.err}`);
  }
}

/** Whether the block needs the seed's models from the (mock) Hub, and the Hub is there; skips otherwise. */
function hubReady(t: TestContext, block: DocBlock, hub: SeedHub | undefined): boolean {
  if (hub !== undefined || !SEED_IDS.some((id) => block.code.includes(id))) return true;
  skipWithoutSeedHub(t);
  return false;
}

test('every fenced block says how it is used: ts, js, bash, sh (run) or text, json, … (shown)', () => {
  const known: readonly string[] = [...RUN_LANGS, ...SHOWN_LANGS];
  for (const page of docPages())
    for (const b of blocksOf(page))
      assert.ok(known.includes(b.lang), `${page}:${b.line}: fence "${b.lang}" (use one of ${known.join(', ')})`);
});

test('every ts, js, bash and sh block of README.md and docs/ runs', { timeout: 1_800_000 }, async (t) => {
  const hub = await startSeedHub();
  const home = mkdtempSync(join(tmpdir(), 'docs-hf-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HF_HOME: home,
    HF_HUB_CACHE: join(home, 'hub'),
    ...(hub ? hub.env : {}),
  };
  delete env.HF_TOKEN;
  const servePort = defaultServePort();
  try {
    // STATIC_EMBED_DOCS_PAGES=docs/cli.md,README.md runs only those pages (while editing them)
    const only = process.env.STATIC_EMBED_DOCS_PAGES?.split(',');
    for (const page of docPages().filter((p) => !only || only.includes(p))) {
      const blocks = blocksOf(page).filter((b) => (RUN_LANGS as readonly string[]).includes(b.lang));
      if (blocks.length === 0) continue;
      await t.test(page, async (pt) => {
        const run = new PageRun(env);
        try {
          for (const b of blocks) {
            if (!hubReady(pt, b, hub)) return;
            const started = Date.now();
            if (b.lang === 'ts' || b.lang === 'js') await runModule(b, run);
            else await runShell(b, run, servePort);
            pt.diagnostic(`${page}:${b.line} ${((Date.now() - started) / 1000).toFixed(1)} s`);
          }
        } finally {
          await run.close();
        }
      });
    }
  } finally {
    await hub?.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('the sample files the docs use exist', () => {
  for (const f of ['corpus.txt', 'queries.txt']) assert.ok(existsSync(join(REPO_ROOT, 'examples', 'data', f)), f);
  assert.ok(readFileSync(join(REPO_ROOT, 'examples', 'data', 'corpus.txt'), 'utf8').split('\n').length >= 40);
});

test('every ts block of README.md and docs/ type-checks against the package (strict)', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(REPO_ROOT, 'dist', 'docs-types-'));
  try {
    const files: string[] = [];
    const where = new Map<string, string>();
    for (const page of docPages())
      for (const b of blocksOf(page).filter((x) => x.lang === 'ts')) {
        const file = join(dir, `${page.replace(/\W/g, '-')}-${b.line}.mts`);
        writeFileSync(file, b.code + '\nexport {};\n');
        files.push(file);
        where.set(file, `${page}:${b.line}`);
      }
    // a canary: a block that uses the package wrongly must be reported (the package's types were found)
    const canary = join(dir, 'canary.mts');
    writeFileSync(canary, "import { evaluateSts } from 'static-embed';\nevaluateSts(1);\nexport {};\n");
    const all = typeErrors([...files, canary]);
    assert.ok(
      all.some((e) => e.startsWith(`${canary}:2:`)),
      `the canary's error is reported: ${all.join('\n')}`,
    );
    const errors = all
      .filter((e) => !e.startsWith(canary))
      .map((e) => e.replace(/^(\S+\.mts)/, (f) => where.get(f) ?? f));
    assert.deepEqual(errors, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
