/**
 * Prometheus metrics of the server, in the text exposition format (version 0.0.4).
 * See ARCHITECTURE.md, "Server defences".
 */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

class Counter {
  readonly values = new Map<string, { labels: Record<string, string>; value: number }>();
  inc(l: Record<string, string>, by = 1): void {
    const key = JSON.stringify(l);
    const e = this.values.get(key);
    if (e) e.value += by;
    else this.values.set(key, { labels: l, value: by });
  }
}

class Histogram {
  readonly series = new Map<string, { labels: Record<string, string>; counts: number[]; sum: number; count: number }>();
  observe(l: Record<string, string>, v: number): void {
    const key = JSON.stringify(l);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: l, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (v <= BUCKETS[i]!) s.counts[i]!++;
    s.sum += v;
    s.count++;
  }
}

export class Metrics {
  readonly requests = new Counter();
  readonly latency = new Histogram();
  readonly texts = new Counter();
  readonly tokens = new Counter();
  readonly errors = new Counter();
  inFlight = 0;
  /** texts waiting in the micro-batch queues (read at scrape time) */
  queueDepth: () => number = () => 0;
  /** bytes reserved in the server's memory budget (request bodies and responses) */
  memoryBudgetBytes: () => number = () => 0;
  /** resident memory of the process, when the runtime tells (the Node adapter sets it) */
  residentBytes: (() => number) | undefined;

  render(): string {
    const out: string[] = [];
    const counter = (name: string, help: string, c: Counter) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const e of c.values.values()) out.push(`${name}${labels(e.labels)} ${e.value}`);
    };
    const gauge = (name: string, help: string, v: number) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${v}`);
    counter('static_embed_requests_total', 'HTTP requests by route and status code.', this.requests);
    out.push(
      '# HELP static_embed_request_duration_seconds Time from request to response, by route.',
      '# TYPE static_embed_request_duration_seconds histogram',
    );
    for (const s of this.latency.series.values()) {
      BUCKETS.forEach((b, i) =>
        out.push(
          `static_embed_request_duration_seconds_bucket${labels({ ...s.labels, le: String(b) })} ${s.counts[i]}`,
        ),
      );
      out.push(`static_embed_request_duration_seconds_bucket${labels({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(
        `static_embed_request_duration_seconds_sum${labels(s.labels)} ${s.sum}`,
        `static_embed_request_duration_seconds_count${labels(s.labels)} ${s.count}`,
      );
    }
    counter('static_embed_texts_total', 'Texts embedded, by model.', this.texts);
    counter('static_embed_tokens_total', "Tokens embedded (the model's tokenizer), by model.", this.tokens);
    counter('static_embed_errors_total', 'Error responses by error code.', this.errors);
    gauge('static_embed_queue_depth', 'Texts waiting for a micro-batch.', this.queueDepth());
    gauge('static_embed_requests_in_flight', 'Requests being handled.', this.inFlight);
    gauge(
      'static_embed_memory_budget_used_bytes',
      'Bytes of request bodies and responses reserved in the memory budget.',
      this.memoryBudgetBytes(),
    );
    if (this.residentBytes)
      gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', this.residentBytes());
    return out.join('\n') + '\n';
  }
}
