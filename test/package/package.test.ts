/**
 * The npm package as a user gets it: `npm pack`, then `npm install` of the tarball into an empty folder (offline:
 * the package has no dependencies), `npx static-embed similarity a b`, an ESM import and a require() of the
 * library. The launcher runs under a POSIX sh with an `env` that has no -S (as BusyBox/Alpine) and still passes
 * the CLI's runtime flags to node.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'se-pkg-'));
const app = join(dir, 'app');
mkdirSync(app);

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    files: string[];
    license: string;
  };

  test('runs nothing at install time', () => {
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(pkg.scripts[s], undefined, s);
    assert.ok(pkg.scripts.prepack, 'dist/ is built when packing');
  });

  test('the licences ship', () => {
    assert.equal(pkg.license, 'Apache-2.0');
    assert.match(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
    assert.match(readFileSync(join(REPO_ROOT, 'models/default/LICENSE'), 'utf8'), /CC BY-SA 4\.0/);
    assert.match(readFileSync(join(REPO_ROOT, 'models/default/README.md'), 'utf8'), /^license: cc-by-sa-4\.0$/m);
  });
});

test('every dependency with an install script is in allowScripts (npm ci warns of none)', () => {
  // npm 11 skips dependencies' install scripts unless package.json's allowScripts approves them, and warns about
  // every installed package it has no entry for. esbuild's postinstall only checks (or, without its optional
  // platform package, downloads) the native binary that its @esbuild/<platform> dependency already ships, so it is
  // denied: installs run no third-party code. Optional packages (never installed here) need no entry.
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    allowScripts?: Record<string, boolean>;
  };
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; hasInstallScript?: boolean; optional?: boolean }>;
  };
  const decided = Object.keys(pkg.allowScripts ?? {});
  const undecided = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.hasInstallScript === true && p.optional !== true)
    .map(([path, p]) => ({
      name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
      version: p.version,
    }))
    .filter(({ name, version }) => !decided.includes(name) && !decided.includes(`${name}@${version}`));
  assert.deepEqual(undecided, []);
  assert.equal(pkg.allowScripts?.esbuild, false, 'esbuild runs no postinstall');
  // and npm itself, on the installed tree, finds nothing left to review
  const ls = run('npm', ['install-scripts', 'ls', '--json'], REPO_ROOT);
  assert.equal(ls.code, 0, ls.stderr);
  assert.deepEqual((JSON.parse(ls.stdout) as { allowScripts: unknown[] }).allowScripts, []);
});

test('npm pack, install in an empty folder: npx static-embed, ESM import, require()', { timeout: 600_000 }, () => {
  // dist/ was just built by `npm test`'s tsc; --ignore-scripts keeps prepack from deleting it under the running tests
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO_ROOT);
  assert.equal(pack.code, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const paths = info!.files.map((f) => f.path);
  for (const p of ['LICENSE', 'README.md', 'bin/static-embed.js', 'models/default/LICENSE', 'dist/src/node.js'])
    assert.ok(paths.includes(p), `${p} is in the package`);
  assert.ok(!paths.some((p) => p.startsWith('dist/test/') || p.startsWith('src/')), 'no tests or TypeScript sources');
  // every source map carries its sources (the .ts files are not shipped)
  const map = JSON.parse(readFileSync(join(REPO_ROOT, 'dist/src/node.js.map'), 'utf8')) as {
    sourcesContent?: string[];
  };
  assert.ok(map.sourcesContent?.[0]?.includes('export'), 'sourcesContent in the maps');

  writeFileSync(join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
  const inst = run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, info!.filename)], app);
  assert.equal(inst.code, 0, inst.stderr);
  assert.doesNotMatch(inst.stderr, /install-scripts|prepare|warn/i, 'no install-script warning');

  const sim = run('npx', ['--no-install', 'static-embed', 'similarity', 'a', 'b'], app);
  assert.equal(sim.code, 0, sim.stderr);
  assert.match(sim.stdout, /cosine similarity \(256 dims\)/);
  assert.match(sim.stdout, /\[1\]\s+a\s+1\.0000/);

  const esm = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { loadDefaultModel, StaticModel } from 'static-embed'; const m = await loadDefaultModel(); " +
        "const e = m.encode(['hello', 'world']); console.log(e.rows, e.cols, m instanceof StaticModel); await m.close();",
    ],
    app,
  );
  assert.equal(esm.code, 0, esm.stderr);
  assert.equal(esm.stdout.trim(), '2 256 true');
  // the README's first example, as written, in the installed package
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
  assert.ok(readme.indexOf('npm install static-embed') < readme.indexOf(example), 'the README starts with the install');
  assert.ok(example.trim().split('\n').length <= 5, 'a five-line example');
  writeFileSync(join(app, 'example.mjs'), example);
  const ex = run(process.execPath, ['example.mjs'], app);
  assert.equal(ex.code, 0, ex.stderr);
  assert.ok(Math.abs(Number(ex.stdout.trim())) <= 1, ex.stdout);
  // require() of an ES module: Node ≥ 20.19 / 22.12 (the README says so)
  const cjs = run(process.execPath, ['-e', "console.log(typeof require('static-embed').StaticModel)"], app);
  assert.equal(cjs.code, 0, cjs.stderr);
  assert.equal(cjs.stdout.trim(), 'function');
});

test('the launcher runs under POSIX sh and an env without -S, passing flags to node', () => {
  // a PATH where `env` rejects -S (as BusyBox's does) and `node` records how it was started
  const bin = join(dir, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  const log = join(dir, 'node-args.txt');
  // BusyBox's env (Alpine's) when installed (.ci/run installs it), else a stand-in that refuses -S the same way
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  const realEnv = ['/usr/bin/env', '/bin/env'].find((p) => existsSync(p))!;
  if (busybox) symlinkSync(busybox, join(bin, 'env'));
  else
    writeFileSync(
      join(bin, 'env'),
      `#!/bin/sh\ncase "$1" in -S*) echo "env: invalid option -- 'S'" >&2; exit 1;; esac\nexec ${realEnv} "$@"\n`,
      { mode: 0o755 },
    );
  writeFileSync(
    join(bin, 'node'),
    `#!/bin/sh\necho "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX UV_THREADPOOL_SIZE=$UV_THREADPOOL_SIZE $*" > "${log}"\nexec "${process.execPath}" "$@"\n`,
  );
  chmodSync(join(bin, 'node'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin` };
  // -S really is refused by that env
  assert.notEqual(run(join(bin, 'env'), ['-S', 'true'], dir, env).code, 0);
  const shells = ['/bin/sh', '/usr/bin/dash', '/bin/dash', '/bin/busybox'].filter((s) => existsSync(s));
  assert.ok(shells.length > 0, 'a POSIX sh');
  for (const sh of shells) {
    const args = sh.endsWith('busybox')
      ? ['sh', join(REPO_ROOT, 'bin/static-embed.js')]
      : [join(REPO_ROOT, 'bin/static-embed.js')];
    const r = run(sh, [...args, 'similarity', 'a', 'b'], dir, env);
    assert.equal(r.code, 0, `${sh}: ${r.stderr}`);
    assert.match(r.stdout, /cosine similarity/);
    const started = readFileSync(log, 'utf8');
    for (const flag of [
      'MALLOC_ARENA_MAX=2',
      'UV_THREADPOOL_SIZE=2',
      '--max-semi-space-size=1',
      '--single-threaded-gc',
      '--v8-pool-size=1',
    ])
      assert.ok(started.includes(flag), `${sh}: ${flag} in ${started}`);
  }
  // and run directly, as npm's bin link runs it (its #!/bin/sh line)
  const direct = run(join(REPO_ROOT, 'bin/static-embed.js'), ['--version'], dir, env);
  assert.equal(direct.code, 0, direct.stderr);
  assert.ok(readdirSync(bin).length === 2);
});
