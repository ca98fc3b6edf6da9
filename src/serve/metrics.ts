/**
 * The model server's metrics in the Prometheus text exposition format (version 0.0.4): counters, gauges and
 * histograms with labels, rendered by `/metrics`. Small on purpose: the server needs a handful of series, and a
 * label set is fixed by the code (routes are the registered patterns, never raw URLs), so series stay bounded.
 * @module
 */
import { ValueError } from '../errors.js';

type Labels = Record<string, string>;

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function labelKey(names: readonly string[], labels: Labels, metric: string): string {
  const keys = Object.keys(labels);
  if (keys.length !== names.length || !names.every((n) => typeof labels[n] === 'string')) {
    throw new ValueError(`${metric}: labels must be exactly {${names.join(', ')}}, got {${keys.join(', ')}}`);
  }
  return names.map((n) => `${n}="${labels[n].replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',');
}

function fmt(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return Number.isNaN(v) ? 'NaN' : String(v);
}

abstract class Metric {
  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly string[]) {
    if (!NAME_RE.test(name)) throw new ValueError(`metrics: invalid metric name ${JSON.stringify(name)}`);
  }
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  /** The metric's lines after its HELP and TYPE lines. */
  abstract samples(): string[];
  /** HELP, TYPE and sample lines. */
  render(): string {
    return [`# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${this.name} ${this.type}`, ...this.samples()].join('\n');
  }
}

/** A monotonically increasing count per label set. */
export class Counter extends Metric {
  /** 'counter', the Prometheus TYPE. */
  readonly type = 'counter';
  private readonly values = new Map<string, number>();

  /** Adds `by` (default 1, never negative) to the series of `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new ValueError(`${this.name}.inc: a counter only goes up, got ${by}`);
    const k = labelKey(this.labelNames, labels, this.name);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  /** The current value of the series of `labels` (0 when never counted). */
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(this.labelNames, labels, this.name)) ?? 0;
  }

  /** The sample lines of this metric in the exposition format. */
  samples(): string[] {
    if (this.values.size === 0 && this.labelNames.length === 0) return [`${this.name} 0`];
    return [...this.values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${fmt(v)}`);
  }
}

/** A value that goes up and down (no labels), or is read from `collect` at render time. */
export class Gauge extends Metric {
  /** 'gauge', the Prometheus TYPE. */
  readonly type = 'gauge';
  private value = 0;

  constructor(name: string, help: string, private readonly collect?: () => number) {
    super(name, help, []);
  }

  /** Adds `by` (may be negative). */
  inc(by = 1): void {
    this.value += by;
  }

  /** The current value. */
  get(): number {
    return this.collect ? this.collect() : this.value;
  }

  /** The sample lines of this metric in the exposition format. */
  samples(): string[] {
    return [`${this.name} ${fmt(this.get())}`];
  }
}

/** Observations counted into cumulative buckets (upper bounds `buckets`, plus +Inf), with their sum and count. */
export class Histogram extends Metric {
  /** 'histogram', the Prometheus TYPE. */
  readonly type = 'histogram';
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(name: string, help: string, labelNames: readonly string[], readonly buckets: readonly number[]) {
    super(name, help, labelNames);
    if (buckets.length === 0 || buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= buckets[i - 1]))) {
      throw new ValueError(`${name}: buckets must be finite and increasing, got [${buckets.join(', ')}]`);
    }
  }

  /** Records one observation `v` in the series of `labels`. */
  observe(v: number, labels: Labels = {}): void {
    const k = labelKey(this.labelNames, labels, this.name);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]) s.counts[i]++;
    s.sum += v;
    s.count++;
  }

  /** The series of `labels`: cumulative bucket counts (without +Inf), sum and count; null when never observed. */
  get(labels: Labels = {}): { counts: number[]; sum: number; count: number } | null {
    const s = this.series.get(labelKey(this.labelNames, labels, this.name));
    return s ? { counts: [...s.counts], sum: s.sum, count: s.count } : null;
  }

  /** The sample lines of this metric in the exposition format. */
  samples(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.series) {
      const pre = k ? `${k},` : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${pre}le="${fmt(b)}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${pre}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${k ? `{${k}}` : ''} ${fmt(s.sum)}`);
      out.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return out;
  }
}

/** A set of metrics rendered together as one Prometheus text page. */
export class Registry {
  private readonly metrics: Metric[] = [];

  /** Adds `m` (names must be unique) and returns it. */
  register<M extends Counter | Gauge | Histogram>(m: M): M {
    if (this.metrics.some((x) => x.name === m.name)) throw new ValueError(`Registry.register: a metric named ${m.name} exists already`);
    this.metrics.push(m);
    return m;
  }

  /** The page: every metric's HELP, TYPE and samples, ending in a newline. */
  render(): string {
    return `${this.metrics.map((m) => m.render()).join('\n')}\n`;
  }
}

/** The Content-Type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The series the model server keeps. */
export interface ServerMetrics {
  /** The page all of them render on. */
  registry: Registry;
  /** HTTP requests by method, route pattern and status code. */
  requests: Counter;
  /** Seconds from a request's arrival to its response, by route pattern. */
  latency: Histogram;
  /** Requests being handled now. */
  inFlight: Gauge;
  /** Samples per model forward. */
  batchSize: Histogram;
  /** Seconds per model forward (the whole batch). */
  forwardSeconds: Histogram;
  /** Samples waiting for a forward. */
  queued: Gauge;
}

/** The model server's metrics, with `queuedNow` read at render time; the process's resident memory included. */
export function serverMetrics(queuedNow: () => number, maxBatch: number): ServerMetrics {
  const registry = new Registry();
  const batchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].filter((b) => b < maxBatch).concat([maxBatch]);
  const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const m: ServerMetrics = {
    registry,
    requests: registry.register(new Counter('shendu_http_requests_total', 'HTTP requests answered, by method, route and status code', ['method', 'route', 'status'])),
    latency: registry.register(new Histogram('shendu_http_request_duration_seconds', 'time from request to response, by route', ['route'], seconds)),
    inFlight: registry.register(new Gauge('shendu_http_requests_in_flight', 'requests being handled now')),
    batchSize: registry.register(new Histogram('shendu_batch_size', 'samples per model forward', [], batchBuckets)),
    forwardSeconds: registry.register(new Histogram('shendu_forward_duration_seconds', 'time of one batched model forward', [], seconds)),
    queued: registry.register(new Gauge('shendu_queued_samples', 'samples waiting for a model forward', queuedNow)),
  };
  registry.register(new Gauge('process_resident_memory_bytes', 'resident set size of the server process', () => process.memoryUsage.rss()));
  return m;
}
