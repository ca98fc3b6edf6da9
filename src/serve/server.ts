/**
 * The HTTP model server (fastify): `POST /v1/predict` answers class probabilities for a PNG/JPEG image or a
 * JSON tensor, the samples of concurrent requests batched into one model forward; `GET /healthz`; `GET /metrics`
 * (Prometheus text). Bodies are limited in size, requests per client in rate, and every bad request gets a 4xx
 * JSON answer `{error, message}` while the server goes on serving. `close()` stops accepting connections and
 * finishes the requests in flight first.
 * @module
 */
// the image path calls tensor methods (x.sub(...)), which ops/methods.ts attaches to Tensor
import '../ops/methods.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { DynamicBatcher } from './batcher.js';
import { answer, errorAnswer, type ErrorAnswer } from './http-errors.js';
import { IMAGE_TYPES, checkFinite, imageInput, jsonInputs } from './inputs.js';
import { PROMETHEUS_CONTENT_TYPE, serverMetrics, type ServerMetrics } from './metrics.js';
import { loadServedRun, type ServedModel } from './model.js';
import { RateLimiter } from './rate-limit.js';

/** Options of createServer(). */
export interface ServeOptions {
  /** The checkpoint in the run directory (default 'last'). */
  checkpoint?: string;
  /** Most samples per model forward (default 32; 1: each request alone). */
  maxBatch?: number;
  /** Longest a request waits for others to batch with, in ms (default 5). */
  maxWaitMs?: number;
  /** Largest request body in bytes (default 4 MiB). */
  bodyLimit?: number;
  /** Requests per second per client address on /v1/predict (default: no limit). */
  rateLimit?: number;
  /** Largest image (width x height) decoded (default 4,194,304: 2048x2048). */
  maxPixels?: number;
  /** Classes listed in each answer's `top` unless the request asks (?topk=K; default 5). */
  topK?: number;
  /** Fastify's request log on stdout (default off). */
  logger?: boolean;
}

/** A running (or ready) model server. */
export interface ModelServer {
  /** The fastify instance (`inject` for tests). */
  app: FastifyInstance;
  /** The run it answers with. */
  served: ServedModel;
  /** Its metrics. */
  metrics: ServerMetrics;
  /** Starts listening on `host` (default 127.0.0.1) and `port` (0: any free one); resolves to the address. */
  listen(opts?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting connections, finishes the requests in flight (their batches included), then resolves. */
  close(): Promise<void>;
}

/** The routes and the methods each takes (others get 405 with an Allow header). */
const ROUTES: Record<string, string[]> = { '/v1/predict': ['POST'], '/healthz': ['GET', 'HEAD'], '/metrics': ['GET', 'HEAD'] };
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
const QUERY_KEYS = ['topk', 'invert'];

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`createServer: ${what} must be a positive integer, got ${v}`);
  return v;
}

function send(reply: FastifyReply, a: ErrorAnswer): FastifyReply {
  return reply.code(a.status).type('application/json; charset=utf-8').send(a.body);
}

/** The media type of a Content-Type header, lower-case, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** ?topk=K and ?invert=true|false of a predict request (other keys are refused). */
function predictQuery(query: unknown, classes: number, topK: number): { topk: number; invert: boolean | null } {
  const q = (query ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(q).find((k) => !QUERY_KEYS.includes(k));
  if (unknown !== undefined) throw new ValueError(`predict: unknown query parameter ${JSON.stringify(unknown.slice(0, 50))}; valid: ${QUERY_KEYS.join(', ')}`);
  let topk = Math.min(topK, classes);
  if (q.topk !== undefined) {
    if (typeof q.topk !== 'string' || !/^\d{1,6}$/.test(q.topk) || Number(q.topk) < 1 || Number(q.topk) > classes) {
      throw new ValueError(`predict: topk must be an integer from 1 to ${classes} (the model's classes), got ${JSON.stringify(q.topk)}`);
    }
    topk = Number(q.topk);
  }
  let invert: boolean | null = null;
  if (q.invert !== undefined) {
    if (q.invert !== 'true' && q.invert !== 'false' && q.invert !== '1' && q.invert !== '0') throw new ValueError(`predict: invert must be true, false, 1 or 0, got ${JSON.stringify(q.invert)}`);
    invert = q.invert === 'true' || q.invert === '1';
  }
  return { topk, invert };
}

/** One sample's answer: the `k` most likely classes (name, index, probability) and every probability. */
function prediction(p: Float32Array, k: number, classes: readonly string[]): { top: { class: string; index: number; probability: number }[]; probabilities: number[] } {
  const order = Array.from(p, (v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, k);
  return { top: order.map(([v, i]) => ({ class: classes[i] ?? String(i), index: i, probability: v })), probabilities: Array.from(p) };
}

/**
 * A model server for the classifier run in `runDir` (its checkpoint read from inside the directory only),
 * ready to `listen`. See ServeOptions for the limits and their defaults.
 */
export function createServer(runDir: string, opts: ServeOptions = {}): ModelServer {
  const maxBatch = positiveInt(opts.maxBatch ?? 32, 'maxBatch');
  const maxWaitMs = opts.maxWaitMs ?? 5;
  const bodyLimit = positiveInt(opts.bodyLimit ?? 4 * 1024 * 1024, 'bodyLimit');
  const maxPixels = positiveInt(opts.maxPixels ?? 2048 * 2048, 'maxPixels');
  const topK = positiveInt(opts.topK ?? 5, 'topK');
  const limiter = opts.rateLimit === undefined ? null : new RateLimiter(opts.rateLimit);
  const served = loadServedRun(runDir, { checkpoint: opts.checkpoint });
  const { info } = served;
  const checkpoint = served.file.slice(served.file.lastIndexOf('/') + 1);
  let batcher: DynamicBatcher | null = null;
  const metrics = serverMetrics(() => batcher?.queued ?? 0, maxBatch);
  batcher = new DynamicBatcher((x) => served.probabilities(x), {
    maxBatch, maxWaitMs, onBatch: (n, s) => {
      metrics.batchSize.observe(n);
      metrics.forwardSeconds.observe(s);
    },
  });
  const mediaTypes = ['image/png', 'image/jpeg', 'application/json'];
  const ctx = { bodyLimit, mediaTypes };
  let closing = false;

  const app = Fastify({ logger: opts.logger ?? false, bodyLimit, requestTimeout: 30_000, return503OnClosing: true, forceCloseConnections: 'idle' });
  app.removeAllContentTypeParsers();
  // secure parsing: __proto__ and constructor.prototype keys are refused rather than stripped
  app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.addContentTypeParser(Object.keys(IMAGE_TYPES), { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const t0 = process.hrtime.bigint();
    metrics.inFlight.inc(1);
    reply.raw.once('close', () => {
      metrics.inFlight.inc(-1);
      const route = request.is404 ? 'unmatched' : request.routeOptions.url ?? 'unmatched';
      const method = METHODS.has(request.method) ? request.method : 'other';
      const status = reply.raw.writableEnded ? String(reply.raw.statusCode) : 'aborted';
      metrics.requests.inc({ method, route, status });
      metrics.latency.observe(Number(process.hrtime.bigint() - t0) / 1e9, { route });
    });
    if (limiter && !request.is404 && request.routeOptions.url === '/v1/predict') {
      const wait = limiter.take(request.ip);
      if (wait > 0) {
        reply.header('retry-after', String(Math.max(1, Math.ceil(wait))));
        return send(reply, answer(429, 'rate_limited', `over the limit of ${limiter.perSecond} requests per second from ${request.ip}; retry after ${wait.toFixed(2)} s`));
      }
    }
    return undefined;
  });

  // a keep-alive connection would hold close() open until its idle timeout: answers sent while closing end theirs
  app.addHook('onSend', async (request, reply) => {
    if (closing && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
  });

  app.setErrorHandler((e, request, reply) => {
    const a = errorAnswer(e, request.headers['content-type'], ctx);
    if (a.status >= 500) request.log.error(e);
    return send(reply, a);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = Object.prototype.hasOwnProperty.call(ROUTES, path) ? ROUTES[path] : null;
    if (allowed) {
      reply.header('allow', allowed.join(', '));
      return send(reply, answer(405, 'method_not_allowed', `${path} takes ${allowed.join(' or ')}, not ${request.method.slice(0, 20)}`));
    }
    const shown = request.url.length > 200 ? `${request.url.slice(0, 200)}...` : request.url;
    return send(reply, answer(404, 'not_found', `no route ${request.method.slice(0, 20)} ${shown}; the server answers POST /v1/predict, GET /healthz and GET /metrics`));
  });

  app.get('/healthz', async () => ({
    status: closing ? 'closing' : 'ok',
    model: info.model,
    dataset: info.dataset,
    checkpoint,
    inputShape: served.sampleShape,
    classes: info.classes,
    maxBatch,
    maxWaitMs,
  }));

  app.get('/metrics', async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(metrics.registry.render()));

  app.post('/v1/predict', async (request: FastifyRequest, reply: FastifyReply) => {
    const classes = info.classes.length || Infinity;
    let q: ReturnType<typeof predictQuery>;
    try {
      q = predictQuery(request.query, classes, topK);
    } catch (e) {
      return send(reply, answer(400, 'bad_query', (e as Error).message));
    }
    const type = mediaType(request.headers['content-type']);
    if (request.body === undefined) return send(reply, answer(400, 'bad_input', `the request has no body; POST /v1/predict takes ${mediaTypes.join(', ')}`));
    let x: Tensor;
    if (type === 'application/json') {
      if (q.invert !== null) throw new ValueError('predict: invert applies to image bodies; a JSON tensor goes to the model as it is');
      x = jsonInputs(request.body, served.sampleShape, maxBatch);
    } else {
      x = imageInput(info, type, request.body as Uint8Array, { maxPixels, invert: q.invert ?? false });
    }
    const rows = await batcher!.submit(x);
    checkFinite(rows, info.model);
    return { model: info.model, checkpoint, predictions: rows.map((r) => prediction(r, Math.min(q.topk, r.length), info.classes)) };
  });

  app.addHook('onClose', async () => {
    await batcher!.close();
  });

  return {
    app,
    served,
    metrics,
    async listen(o = {}) {
      return app.listen({ port: o.port ?? 0, host: o.host ?? '127.0.0.1' });
    },
    async close() {
      closing = true;
      await app.close();
    },
  };
}
