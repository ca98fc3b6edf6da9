/**
 * The heartbeat thread of a `RedisStorage`: a worker thread that sets the process's heartbeat key (with a time to
 * live of the grace period) every interval over its own connection. A thread, not a timer, so that an objective
 * that keeps the main thread busy for minutes (a synchronous training epoch) does not look dead; the thread dies
 * with its process, and the key then expires. It speaks the few commands it needs (AUTH, SET, DEL) in RESP itself:
 * loading a Redis client into the thread would take longer than a short test's grace period on a busy machine.
 * @module
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';

/** What the storage hands the thread. */
export interface HeartbeatJob {
  /** Redis URL: redis[s]://[user[:password]@]host[:port]. */
  url: string;
  /** The key to keep alive. */
  key: string;
  /** Milliseconds between beats. */
  interval: number;
  /** Time to live of the key in milliseconds. */
  ttl: number;
}

/** One command in RESP, the Redis wire format: an array of bulk strings. */
export function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

const job = workerData as HeartbeatJob;
const port = parentPort;
if (port !== null) {
  const u = new URL(job.url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const tcpPort = u.port === '' ? 6379 : Number(u.port);
  const auth = u.password === '' ? [] : ['AUTH', ...(u.username === '' ? [] : [decodeURIComponent(u.username)]), decodeURIComponent(u.password)];
  let sock: Socket | null = null;
  let stopping = false;
  let started = false;
  const open = (): void => {
    const s = u.protocol === 'rediss:' ? tlsConnect({ host, port: tcpPort, servername: host }) : netConnect({ host, port: tcpPort });
    sock = s;
    s.setNoDelay(true);
    // The first replies (AUTH, the first SET) say whether beating works; later ones are dropped: a beat that
    // fails shows as an expired key, which is what it means.
    let awaited = started ? 0 : auth.length > 0 ? 2 : 1;
    s.on('data', (d: Buffer) => {
      for (const line of String(d).split('\r\n')) {
        if (awaited === 0 || line === '') continue;
        if (line.startsWith('-')) {
          awaited = 0;
          port?.postMessage({ error: line.slice(1) });
          return;
        }
        if (--awaited === 0 && !started) {
          started = true;
          port?.postMessage('started');
        }
      }
    });
    s.on('error', () => {});
    s.on('close', () => {
      sock = null;
      if (!stopping) setTimeout(open, Math.min(job.interval, 1000)).unref();
    });
    if (auth.length > 0) s.write(encodeCommand(auth));
    beat();
  };
  const beat = (): void => {
    sock?.write(encodeCommand(['SET', job.key, String(process.pid), 'PX', String(Math.round(job.ttl))]));
  };
  open();
  const timer = setInterval(beat, job.interval);
  port.on('message', (m: unknown) => {
    if (m !== 'stop') return;
    stopping = true;
    clearInterval(timer);
    const s = sock;
    if (s === null) {
      port.postMessage('stopped');
      return;
    }
    s.write(encodeCommand(['DEL', job.key]));
    s.end(encodeCommand(['QUIT']), () => port.postMessage('stopped'));
  });
}
