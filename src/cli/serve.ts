/**
 * `shendu serve <run>`: an HTTP server answering `POST /v1/predict` (PNG, JPEG or a JSON tensor) with the run's
 * class probabilities, concurrent requests batched; `GET /healthz`, `GET /metrics`. SIGTERM or SIGINT stops
 * accepting connections, finishes the requests in flight and exits 0 (a second signal exits at once, with 1).
 * @module
 */
import { availableParallelism } from 'node:os';
import { setNumThreads } from '../backend/wasm/index.js';
import { ValueError } from '../errors.js';
import { createServer } from '../serve/server.js';
import { parseByteSize, parseRate } from '../serve/units.js';
import { UsageError } from './args.js';
import type { Command } from './main.js';

function limit<T>(flag: string, text: string, parse: (s: string) => T): T {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof ValueError) throw new UsageError(`shendu serve: ${flag}: ${e.message}`);
    throw e;
  }
}

/** `shendu serve`. */
export const serveCommand: Command = {
  spec: {
    name: 'serve',
    summary: 'answer HTTP prediction requests (PNG, JPEG or JSON tensors) with a trained classifier run',
    positionals: [{ name: 'run', help: 'a run directory (serves its last.safetensors unless --checkpoint says otherwise)' }],
    options: {
      port: { type: 'int', default: 8080, help: 'TCP port (0: any free port)', metavar: 'N' },
      host: { type: 'string', default: '127.0.0.1', help: 'address to listen on (0.0.0.0 to accept other machines)', metavar: 'ADDR' },
      checkpoint: { type: 'string', default: 'last', help: 'the checkpoint in the run directory, e.g. best', metavar: 'NAME' },
      'max-batch': { type: 'int', default: 32, help: 'most samples per model forward (1: every request alone)', metavar: 'N' },
      'max-wait-ms': { type: 'number', default: 5, help: 'longest a request waits for others to batch with', metavar: 'MS' },
      'body-limit': { type: 'string', default: '4mb', help: 'largest request body (e.g. 512kb, 4mb)', metavar: 'SIZE' },
      'rate-limit': { type: 'string', help: 'requests per client address on /v1/predict, e.g. 100/s or 600/min (default: none)', metavar: 'N/s' },
      'max-pixels': { type: 'int', default: 2048 * 2048, help: 'refuse larger images (width x height) before decoding them', metavar: 'N' },
      'top-k': { type: 'int', default: 5, help: 'classes listed per answer unless a request asks ?topk=K', metavar: 'K' },
      threads: { type: 'int', help: 'kernel threads of the wasm backend (default: the number of cores; 1 when a load generator shares the cores)', metavar: 'N' },
      log: { type: 'flag', help: "print fastify's request log (JSON lines) on stdout" },
    },
  },
  async run(args) {
    const o = args.options;
    const port = o.port as number;
    if (port < 0 || port > 65535) throw new UsageError(`shendu serve: --port must be from 0 to 65535, got ${port}`);
    for (const k of ['max-batch', 'max-pixels', 'top-k'] as const) {
      if ((o[k] as number) < 1) throw new UsageError(`shendu serve: --${k} must be at least 1, got ${o[k]}`);
    }
    const maxWaitMs = o['max-wait-ms'] as number;
    if (!(maxWaitMs >= 0 && maxWaitMs <= 60_000)) throw new UsageError(`shendu serve: --max-wait-ms must be from 0 to 60000, got ${maxWaitMs}`);
    if (o.threads !== undefined) {
      if ((o.threads as number) < 1) throw new UsageError(`shendu serve: --threads must be at least 1, got ${o.threads as number}`);
      setNumThreads(Math.min(o.threads as number, availableParallelism()));
    }
    const server = createServer(args.positionals.run as string, {
      checkpoint: o.checkpoint as string,
      maxBatch: o['max-batch'] as number,
      maxWaitMs,
      bodyLimit: limit('--body-limit', o['body-limit'] as string, parseByteSize),
      rateLimit: o['rate-limit'] === undefined ? undefined : limit('--rate-limit', o['rate-limit'] as string, parseRate),
      maxPixels: o['max-pixels'] as number,
      topK: o['top-k'] as number,
      logger: (o.log as boolean | undefined) ?? false,
    });
    const { info, file, sampleShape } = server.served;
    const stopped = new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          console.error(`shendu serve: ${signal} again: exiting without waiting`);
          process.exit(1);
        }
        stopping = true;
        console.log(`${signal}: no new connections; finishing ${server.metrics.inFlight.get()} request(s) in flight`);
        server.close().then(() => {
          console.log('stopped');
          resolve(0);
        }, (e) => {
          console.error(`shendu serve: closing failed: ${(e as Error).message}`);
          resolve(1);
        });
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    const address = await server.listen({ port, host: o.host as string });
    console.log(`serving ${info.model} (${info.dataset}, inputs [${sampleShape.join(', ')}], ${info.classes.length} classes) from ${file}`);
    console.log(`listening on ${address}: POST /v1/predict, GET /healthz, GET /metrics (max batch ${o['max-batch']}, max wait ${maxWaitMs} ms)`);
    return stopped;
  },
};
