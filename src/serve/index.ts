/**
 * The HTTP model server (Node only): `createServer(runDir, opts)` answers `POST /v1/predict` with class
 * probabilities of a trained classifier run, batching concurrent requests; plus its parts (the batcher, the
 * Prometheus metrics, the rate limiter, the request-body checks).
 * @module
 */
export { createServer, type ModelServer, type ServeOptions } from './server.js';
export { DynamicBatcher, type BatcherOptions } from './batcher.js';
export { Counter, Gauge, Histogram, Registry, PROMETHEUS_CONTENT_TYPE, serverMetrics, type ServerMetrics } from './metrics.js';
export { RateLimiter } from './rate-limit.js';
export { parseByteSize, parseRate } from './units.js';
export { IMAGE_TYPES, imageInput, jsonInputs, checkFinite } from './inputs.js';
export { loadServedRun, type ServedModel } from './model.js';
export { errorAnswer, answer, type ErrorAnswer, type ErrorContext } from './http-errors.js';
