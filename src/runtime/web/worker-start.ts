/** Web Workers that must say they started: a worker script that never runs (missing from a bundle) fails, never hangs. */

/** How long a worker's script may take to load and post its first message before the pool gives up on workers. */
export const START_TIMEOUT_MS = 5_000;

export interface WorkerGroup {
  readonly workers: Worker[];
  /** resolves to undefined once every worker's script runs, or to the reason workers cannot be used */
  readonly started: Promise<string | undefined>;
  /** why the workers failed (at start, or later: an uncaught error in one), once they have; then all are terminated */
  failure: string | undefined;
  terminate(): void;
}

function reasonOf(e: Event): string {
  const m = (e as ErrorEvent).message;
  return m ? `a worker failed: ${m}` : 'the worker script did not load: not in the bundle, a 404, or served as HTML';
}

/**
 * Starts `n` workers made by `create` (which must hold the literal `new Worker(new URL('./x.js', import.meta.url),
 * { type: 'module' })` that bundlers look for). Each worker posts `{ loaded: true }` when its script runs; other
 * messages go to `onMessage`.
 */
export function startWorkers(
  n: number,
  create: () => Worker,
  onMessage: (data: unknown) => void,
  timeoutMs = START_TIMEOUT_MS,
): WorkerGroup {
  const workers: Worker[] = [];
  const group: WorkerGroup = {
    workers,
    started: Promise.resolve(undefined),
    failure: undefined,
    terminate: () => workers.splice(0).forEach((w) => w.terminate()),
  };
  (group as { started: Promise<string | undefined> }).started = new Promise((resolve) => {
    let loaded = 0;
    const fail = (why: string): void => {
      clearTimeout(timer);
      if (group.failure !== undefined) return;
      group.failure = why;
      group.terminate();
      resolve(why);
    };
    const timer = setTimeout(() => fail(`no worker script ran within ${timeoutMs / 1000} s`), timeoutMs);
    for (let i = 0; i < n && group.failure === undefined; i++) {
      let w: Worker;
      try {
        w = create();
      } catch (e) {
        fail(`new Worker failed: ${(e as Error).message}`);
        break;
      }
      w.addEventListener('message', (e: MessageEvent) => {
        if ((e.data as { loaded?: unknown } | null)?.loaded !== true) return onMessage(e.data);
        if (++loaded === n) {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
      w.addEventListener('error', (e) => {
        e.preventDefault();
        fail(reasonOf(e));
      });
      w.addEventListener('messageerror', () => fail('a worker could not read a message'));
      workers.push(w);
    }
  });
  return group;
}

let warned = false;

/** The one console warning of a page whose workers failed: what runs on the calling thread instead, and the fix. */
export function warnFallback(what: string, reason: string): void {
  if (warned) return;
  warned = true;
  console.warn(
    `static-embed: ${what} runs on the calling thread: Web Workers could not start (${reason}). A bundle needs ` +
      'the worker scripts: with esbuild, add static-embed/web-worker and static-embed/kernel-worker as entry points ' +
      'next to it; with the Vite dev server, set optimizeDeps: { exclude: [\'static-embed\'] }. See "Bundlers" in ' +
      "static-embed's docs/browsers.md.",
  );
}
