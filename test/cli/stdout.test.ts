/** printLine: a command's answer written to fd 1 directly, whatever the reader on the other end does. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { runCli } from '../helpers/cli.js';
import { repoFile } from '../helpers/shared.js';

const STDOUT_MODULE = new URL('../../src/cli/io/stdout.js', import.meta.url).href;

/** Runs `code` (an ES module body with printLine imported) in a fresh Node process. */
function childWith(code: string): ReturnType<typeof spawn> {
  const src = `import { printLine } from ${JSON.stringify(STDOUT_MODULE)};\n${code}`;
  return spawn(process.execPath, ['--input-type=module', '-e', src], { stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('printLine', () => {
  test('similarity prints its table through a pipe with a final newline', async () => {
    const r = await runCli(['similarity', 'I love it', 'I like it']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^cosine similarity \(256 dims\)\n\n/);
    assert.ok(r.stdout.endsWith('\n') && !r.stdout.endsWith('\n\n'));
  });

  test('a reader that closed the pipe ends the output quietly with exit code 0', () => {
    // `| true` closes the pipe before the answer is written: EPIPE, as with console.log, says nothing
    const bin = repoFile('bin/static-embed.js');
    const script = `set -o pipefail; "${process.execPath}" "${bin}" similarity a b --json | true; echo "rc=$?"`;
    const r = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /rc=0/);
  });

  test('a full non-blocking pipe hands the rest to process.stdout and nothing is lost', async () => {
    // touching process.stdout makes libuv set the pipe non-blocking: 4 MiB then fills it (EAGAIN) long before the end
    const line = 'x'.repeat(4 << 20);
    const child = childWith(`process.stdout; printLine('x'.repeat(${4 << 20}));`);
    let out = '',
      err = '';
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    // a slow reader: the first chunks wait, so the writer meets a full pipe
    await new Promise((r) => setTimeout(r, 200));
    child.stdout!.on('data', (d: string) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 0, err);
    assert.equal(out.length, line.length + 1);
    assert.equal(out, line + '\n');
  });

  test('a full disk is an IO_ERROR with exit code 2 for every command that prints, never a silent exit 0', async (t) => {
    if (!existsSync('/dev/full')) return t.skip('no /dev/full here');
    const dir = mkdtempSync(join(tmpdir(), 'se-stdout-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const lines = join(dir, 'lines.txt');
    writeFileSync(lines, 'the cat sleeps\nthe dog barks\na red car\n');
    const bin = repoFile('bin/static-embed.js');
    for (const args of [
      ['similarity', 'a', 'b'],
      ['info'],
      ['info', '--json'],
      ['--version'],
      ['--help'],
      ['info', '--help'],
      ['encode', '--input', lines],
      ['tokenize', '--input', lines],
      ['mine', '--input', lines, '--threshold', '0'],
      ['cluster', '--input', lines, '--k', '2'],
      ['search', '--corpus', lines, '--query', 'cat'],
    ]) {
      const script = `exec "${process.execPath}" "${bin}" ${args.map((a) => `'${a}'`).join(' ')} > /dev/full`;
      const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /^static-embed[a-z ]*: error \[IO_ERROR\]: cannot write to standard output \(ENOSPC/,
        args.join(' '),
      );
      assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line, no stack trace`);
    }
  });

  test('a big answer into a pipe that closes early ends quietly with exit code 0 (mine, similarity)', () => {
    const bin = repoFile('bin/static-embed.js');
    const corpus = repoFile('examples/data/corpus.txt');
    for (const args of [`mine --input '${corpus}' --threshold 0`, `mine --input '${corpus}' --threshold 0 --json`]) {
      const script = `set -o pipefail; "${process.execPath}" "${bin}" ${args} | head -c 20 > /dev/null; echo "rc=$?"`;
      const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
      assert.equal(r.stderr, '', args);
      assert.match(r.stdout, /rc=0/, args);
    }
  });

  test('serve keeps serving when its log cannot be written, and says so once on stderr', async (t) => {
    if (!existsSync('/dev/full')) return t.skip('no /dev/full here');
    const port = await freePort();
    const bin = repoFile('bin/static-embed.js');
    const child = spawn('sh', ['-c', `exec "${process.execPath}" "${bin}" serve --port ${port} > /dev/full`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    t.after(() => child.kill('SIGKILL'));
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status,
        () => 0,
      );
    }
    assert.equal(status, 200);
    assert.equal(child.exitCode, null, 'still running');
    assert.match(err, /^static-embed serve: warning: the log cannot be written to standard output \(ENOSPC\)/);
    assert.equal(err.trim().split('\n').length, 1, err);
  });
});

/** A TCP port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
