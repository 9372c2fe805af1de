/**
 * One small web app importing `static-embed` (the model from /models/default/, encodeAsync on 2 workers, a
 * VectorIndex searched on 2 threads), built and served as a web developer would: esbuild, Vite build, Vite dev server.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serveStatic } from '../../scripts/static-server.js';
import { installedPackage } from './installed-package.js';
import { REPO_ROOT } from './shared.js';

export const APP = `
import { Matrix, StaticModel, VectorIndex, webWorkersUsable } from 'static-embed';

function rows(n, d, seed) {
  const data = new Float32Array(n * d);
  let x = seed;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    data[i] = x / 4294967296 - 0.5;
  }
  return new Matrix(n, d, data);
}

window.run = async (texts, folder) => {
  try {
    const model = await StaticModel.fromPretrained(new URL(folder, location.href).href);
    const a = model.encode(texts);
    const t0 = performance.now();
    const b = await model.encodeAsync(texts, { workers: 2 });
    const asyncMs = performance.now() - t0;
    const index = VectorIndex.build(rows(40000, 32, 1));
    const Q = rows(8, 32, 2);
    const one = JSON.stringify(index.search(Q, { topK: 5 }));
    const two = JSON.stringify(await index.searchAsync(Q, { topK: 5, threads: 2 }));
    await model.close();
    const same = one === two;
    return { coi: crossOriginIsolated, workers: webWorkersUsable(), a: Array.from(a.data), b: Array.from(b.data), searchSame: same, asyncMs };
  } catch (e) {
    return { error: String(e?.message ?? e), code: e?.code };
  }
};
window.ready = true;
`;

// (a data: icon: no request for /favicon.ico, whose 404 would be the console's only message)
const INDEX_HTML =
  '<!doctype html><meta charset="utf-8"><title>app</title><link rel="icon" href="data:,">' +
  '<script type="module" src="/main.js"></script>';

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
};

/** A consumer project: the installed package, index.html, main.js and the default model in public/models/default. */
export function appProject(prefix: string): string {
  const dir = installedPackage(prefix);
  writeFileSync(join(dir, 'main.js'), APP);
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  const model = join(dir, 'public', 'models', 'default');
  mkdirSync(model, { recursive: true });
  for (const f of ['modules.json', 'config_sentence_transformers.json', '0_StaticEmbedding'])
    cpSync(join(REPO_ROOT, 'models', 'default', f), join(model, f), { recursive: true });
  return dir;
}

/**
 * esbuild: `withWorkers` adds the worker scripts as entry points next to the bundle (the documented recipe);
 * without them the bundle asks for ./web-worker.js, which is not there.
 */
export async function esbuildApp(dir: string, isolate: boolean, withWorkers: boolean): Promise<ServedApp> {
  const { build } = await import('esbuild');
  const out = join(dir, 'out-esbuild');
  await build({
    entryPoints: {
      main: join(dir, 'main.js'),
      ...(withWorkers
        ? { 'web-worker': 'static-embed/web-worker', 'kernel-worker': 'static-embed/kernel-worker' }
        : {}),
    },
    absWorkingDir: dir,
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  writeFileSync(join(out, 'index.html'), INDEX_HTML);
  const s = await serveStatic({ mounts: { '/': out, '/models/': join(dir, 'public', 'models') }, isolate });
  return { url: s.url, close: () => s.close() };
}

/** `vite build`, its dist/ (with public/ copied in) served as static files. */
export async function viteBuildApp(dir: string, isolate: boolean): Promise<ServedApp> {
  const { build } = await import('vite');
  const out = join(dir, 'out-vite');
  await build({ root: dir, configFile: false, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  const s = await serveStatic({ mounts: { '/': out }, isolate });
  return { url: s.url, close: () => s.close() };
}

/** A port nothing listens on now (Vite's own port 0 means its default, 5173). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The Vite dev server, with the documented `optimizeDeps.exclude` (or Vite's defaults: `plain`). */
export async function viteDevApp(dir: string, isolate: boolean, plain = false): Promise<ServedApp> {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    cacheDir: join(dir, '.vite-cache'),
    server: { host: '127.0.0.1', port: await freePort(), strictPort: true, headers: isolate ? ISOLATION_HEADERS : {} },
    ...(plain ? {} : { optimizeDeps: { exclude: ['static-embed'] } }),
  });
  await server.listen();
  const url = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
  return { url, close: () => server.close() };
}
