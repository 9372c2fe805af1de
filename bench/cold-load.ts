/**
 * One cold library load, for bench/cold-start.ts: import static-embed, load a model (default: the embedded one),
 * embed two texts; prints the times since process start (ms) and the peak RSS as one JSON line.
 *   node dist/bench/cold-load.js [--lib URL_OF_NODE_ENTRY] [--model DIR]
 */
const arg = (k: string): string | undefined => {
  const i = process.argv.indexOf(`--${k}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const started = performance.now(); // the process's own start-up (performance.now() counts from process start)
const lib = (await import(
  arg('lib') ?? new URL('../src/node.js', import.meta.url).href
)) as typeof import('../src/node.js');
const imported = performance.now();
const dir = arg('model');
const model = dir ? await lib.StaticModel.fromPretrained(dir) : await lib.loadDefaultModel();
const loaded = performance.now();
model.encode(['a', 'b']);
const encoded = performance.now();
console.log(
  JSON.stringify({
    startMs: started,
    importMs: imported - started,
    loadMs: loaded - imported,
    encodeMs: encoded - loaded,
    totalMs: encoded,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    tableDtype: model.info().tableDtype,
  }),
);
