/** A progress line on stderr for long CLI runs: lines, lines/s, ETA. Only on a terminal, and not with --quiet. */
export class Progress {
  private readonly start = performance.now();
  private last = 0;
  private shown = false;
  constructor(
    private readonly total: number | undefined,
    private readonly enabled: boolean,
    private readonly what = 'lines',
  ) {}

  static for(total: number | undefined, quiet: boolean, what = 'lines'): Progress {
    return new Progress(total, !quiet && process.stderr.isTTY === true, what);
  }

  /** `extra`: appended to the line (e.g. the current loss). */
  update(done: number, extra = ''): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    let line = `${done.toLocaleString('en-US')} ${this.what}`;
    if (this.total) {
      const pct = Math.min(100, (100 * done) / this.total);
      const eta = rate > 0 ? (this.total - done) / rate : 0;
      const width = 24,
        filled = Math.round((pct / 100) * width);
      line =
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(1)}% ` +
        `${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')} ${this.what}, ETA ${eta.toFixed(0)} s`;
    }
    line += `, ${Math.round(rate).toLocaleString('en-US')} ${this.what}/s${extra}`;
    process.stderr.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  done(done: number, extra = ''): void {
    if (!this.enabled) return;
    this.last = 0;
    this.update(done, extra);
    if (this.shown) process.stderr.write('\n');
  }
}
