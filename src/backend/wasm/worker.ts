/**
 * Entry point of a kernel worker thread (Node.js worker_threads or a Web Worker): instantiates the kernel
 * module on the shared memory, then waits on its control block for jobs; for each whose offer is still open it
 * takes chunks from the shared counter until none are left, and reports the job done. It never returns to its
 * event loop; the pool spawns it unreferenced, so it does not keep a process alive.
 * @module
 */
import { moduleAbort, nodeBuiltin, wasmApi } from './runtime.js';
import { COUNTER, F64, SLOT, THREAD_FUNCTIONS, chunkArgs, type ChunkedJob, type WorkerInit } from './protocol.js';

type Kernel = (...args: number[]) => void;

function serve(init: WorkerInit): void {
  const instance = new wasmApi!.Instance(init.module, { env: { memory: init.memory, abort: moduleAbort } });
  const fns = THREAD_FUNCTIONS.map((name) => instance.exports[name] as unknown as Kernel);
  const buffer = init.memory.buffer;
  const ctl = new Int32Array(buffer, init.control, 128);
  const f64 = new Float64Array(buffer, init.control, 64);
  const counters = new Int32Array(buffer, init.counters, 2);
  const args: number[] = [];
  Atomics.store(ctl, SLOT.ready, 1);
  let last = Atomics.load(ctl, SLOT.seq);
  for (;;) {
    let seq = Atomics.load(ctl, SLOT.seq);
    for (let spin = 0; seq === last && spin < 20_000; spin++) seq = Atomics.load(ctl, SLOT.seq);
    if (seq === last) {
      Atomics.wait(ctl, SLOT.seq, last);
      continue;
    }
    last = seq;
    // the job is ours only if the offer is still open: the calling thread withdraws it when it has run out of chunks
    if (Atomics.compareExchange(ctl, SLOT.offer, seq, -seq) !== seq) continue;
    const n = ctl[SLOT.nargs];
    const threadArgs: [number, number, number][] = [];
    if (ctl[SLOT.threadArgA] >= 0) threadArgs.push([ctl[SLOT.threadArgA], f64[F64.threadBaseA], f64[F64.threadStrideA]]);
    if (ctl[SLOT.threadArgB] >= 0) threadArgs.push([ctl[SLOT.threadArgB], f64[F64.threadBaseB], f64[F64.threadStrideB]]);
    const job: ChunkedJob = {
      fn: THREAD_FUNCTIONS[ctl[SLOT.fn]],
      base: Array.from({ length: n }, (_, k) => f64[F64.args + k]),
      step: Array.from({ length: n }, (_, k) => f64[F64.args + n + k]),
      total: ctl[SLOT.total],
      per: ctl[SLOT.per],
      countArg: ctl[SLOT.countArg],
      threadArgs,
    };
    const fn = fns[ctl[SLOT.fn]];
    const chunks = ctl[SLOT.chunks];
    const t = ctl[SLOT.thread];
    for (let c = Atomics.add(counters, COUNTER.next, 1); c < chunks; c = Atomics.add(counters, COUNTER.next, 1)) {
      fn(...chunkArgs(job, c, t, args));
      Atomics.add(counters, COUNTER.finished, 1);
    }
    Atomics.store(ctl, SLOT.offer, 0);
    Atomics.notify(ctl, SLOT.offer);
  }
}

const port = nodeBuiltin<{ parentPort: { once(e: 'message', f: (m: WorkerInit) => void): void } | null }>('node:worker_threads')?.parentPort;
if (port) {
  port.once('message', serve);
} else {
  const scope = globalThis as unknown as { onmessage: ((e: { data: WorkerInit }) => void) | null };
  scope.onmessage = (e) => {
    scope.onmessage = null;
    serve(e.data);
  };
}
