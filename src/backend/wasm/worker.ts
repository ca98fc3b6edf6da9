/**
 * Entry point of a kernel worker thread (Node.js worker_threads or a Web Worker): instantiates the kernel
 * module on the shared memory, then waits on its control block for jobs, runs each, and reports it done.
 * It never returns to its event loop; the pool spawns it unreferenced, so it does not keep a process alive.
 * @module
 */
import { moduleAbort, nodeBuiltin, wasmApi } from './runtime.js';
import { ARG_BASE_F64, SLOT, THREAD_FUNCTIONS, type WorkerInit } from './protocol.js';

type Kernel = (...args: number[]) => void;

function serve(init: WorkerInit): void {
  const instance = new wasmApi!.Instance(init.module, { env: { memory: init.memory, abort: moduleAbort } });
  const fns = THREAD_FUNCTIONS.map((name) => instance.exports[name] as unknown as Kernel);
  const buffer = init.memory.buffer;
  const ctl = new Int32Array(buffer, init.control, 64);
  const argv = new Float64Array(buffer, init.control, 32);
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
    const n = ctl[SLOT.nargs];
    args.length = n;
    for (let i = 0; i < n; i++) args[i] = argv[ARG_BASE_F64 + i];
    fns[ctl[SLOT.fn]](...args);
    Atomics.store(ctl, SLOT.done, seq);
    Atomics.notify(ctl, SLOT.done);
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
