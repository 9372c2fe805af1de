/**
 * `npm run demo`: bundles the browser demo (examples/browser) with esbuild into dist/demo/ — a complete static
 * site: index.html, style.css, demo.js and the Web Worker script — and serves it with the package's default model
 * at /models/default/. No server logic: dist/demo plus models/default can go to any static host.
 *   node dist/scripts/demo.js [--port 8090] [--host 127.0.0.1] [--isolated] [--build-only]
 * --isolated sends COOP/COEP headers (cross-origin isolation: SharedArrayBuffer, Web Workers); without it the
 * page is an ordinary one, which works the same.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { serveStatic, type StaticServer } from './static-server.js';

/** The repository root (this file is dist/scripts/demo.js). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The demo's default port: not `static-embed serve`'s 8080, so both can run at once. */
export const DEMO_PORT = 8090;

/** Builds the demo into `outdir` (default dist/demo); returns the folder. */
export async function buildDemo(outdir = join(ROOT, 'dist', 'demo')): Promise<string> {
  const { build } = await import('esbuild');
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: {
      demo: join(ROOT, 'dist', 'examples', 'browser', 'demo.js'),
      'web-worker': join(ROOT, 'dist', 'src', 'runtime', 'web', 'web-worker.js'),
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(ROOT, 'examples', 'browser', f), join(outdir, f));
  return outdir;
}

/** Builds and serves the demo; returns the server. */
export async function startDemo(
  o: { port?: number; host?: string; isolate?: boolean; outdir?: string } = {},
): Promise<StaticServer> {
  const dir = await buildDemo(o.outdir);
  return serveStatic({
    mounts: { '/': dir, '/models/default/': join(ROOT, 'models', 'default') },
    ...(o.isolate ? { isolate: true } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.host !== undefined ? { host: o.host } : {}),
  });
}

/** Opens the demo in a browser page and waits until the model is loaded (or failed); returns the status line. */
export async function openDemo(page: Page, url: string): Promise<string> {
  await page.goto(url);
  await page.waitForFunction(
    () =>
      document.body.classList.contains('loaded') ||
      /Could not load/.test(document.getElementById('status')!.textContent ?? ''),
    undefined,
    { timeout: 90_000 },
  );
  return (await page.textContent('#status')) ?? '';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (k: string): string | undefined => {
    const i = process.argv.indexOf(`--${k}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  if (process.argv.includes('--build-only')) {
    console.log(`built ${await buildDemo()}`);
  } else {
    const server = await startDemo({
      port: Number(arg('port') ?? DEMO_PORT),
      host: arg('host') ?? '127.0.0.1',
      isolate: process.argv.includes('--isolated'),
    });
    console.log(`static-embed demo: ${server.url}/  (Ctrl-C to stop)`);
  }
}
