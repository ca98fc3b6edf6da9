/**
 * The kernel thread pool: worker threads (Node.js worker_threads, or Web Workers in a cross-origin isolated
 * page) that instantiate the kernel module on the same shared memory and run jobs handed to them through
 * control blocks in that memory. The calling thread runs one share of every parallel kernel itself and waits
 * for the others, so kernels stay synchronous. Workers start in the background the first time more than one
 * thread is asked for; until one reports ready, its share runs on the calling thread.
 * @module
 */
import { COUNTER, F64, MAX_ARGS, SLOT, THREAD_FUNCTIONS, chunkArgs, type ChunkedJob, type ThreadFunction, type WorkerInit } from './protocol.js';
import { MAX_THREADS, nodeBuiltin, type WasmRuntime } from './runtime.js';

interface WorkerSlot {
  ctl: Int32Array;
  f64: Float64Array;
  alive: boolean;
}

type Kernel = (...args: number[]) => void;

/** Number of processor cores the engine reports (1 where it cannot tell). */
export function coreCount(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os) return os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** Starts one kernel worker; false where the engine has no way to. */
function spawn(init: WorkerInit, onError: () => void): boolean {
  const URLCtor = (globalThis as unknown as { URL: new (path: string, base: string) => object }).URL;
  const url = new URLCtor('./worker.js', (import.meta as { url: string }).url);
  type NodeWorker = { postMessage(m: unknown): void; unref(): void; on(e: string, f: () => void): void };
  const wt = nodeBuiltin<{ Worker: new (u: object) => NodeWorker }>('node:worker_threads');
  if (wt) {
    const w = new wt.Worker(url);
    w.on('error', onError);
    w.unref();
    w.postMessage(init);
    return true;
  }
  const g = globalThis as { Worker?: new (u: object, o: object) => { postMessage(m: unknown): void; onerror: unknown }; crossOriginIsolated?: boolean };
  if (g.Worker && g.crossOriginIsolated) {
    const w = new g.Worker(url, { type: 'module' });
    w.onerror = onError;
    w.postMessage(init);
    return true;
  }
  return false;
}

/** The pool of kernel threads over one runtime's shared memory. */
export class ThreadPool {
  private readonly workers: WorkerSlot[] = [];
  private threads = 1;
  private seq = 0;
  private readonly canBlock: boolean;
  private readonly local: Record<ThreadFunction, Kernel>;
  /** The shared chunk counters (in thread 0's control block; shared memory never detaches, so one view serves). */
  private readonly counters: Int32Array;

  /** A pool for `rt`, using `threads` threads (the calling one included). */
  constructor(private readonly rt: WasmRuntime, threads: number) {
    this.counters = new Int32Array(rt.memory.buffer, rt.controlAddress(0), 2);
    this.local = Object.fromEntries(THREAD_FUNCTIONS.map((n) => [n, (rt.exports as unknown as Record<string, Kernel>)[n]])) as Record<ThreadFunction, Kernel>;
    // Node lets its main thread block in Atomics.wait; a browser's main thread must spin instead.
    this.canBlock = nodeBuiltin('node:worker_threads') !== undefined;
    this.setThreads(threads);
  }

  /** Worker threads started and ready (they start the first time a kernel is split). */
  get readyWorkers(): number {
    return this.workers.filter((w) => w.alive && Atomics.load(w.ctl, SLOT.ready) === 1).length;
  }

  /** Threads in use, the calling one included. */
  get size(): number {
    return this.threads;
  }

  /** Uses `n` threads (the calling one included); workers start when a parallel kernel first runs. */
  setThreads(n: number): void {
    this.threads = Math.max(1, Math.min(n, MAX_THREADS));
    if (!this.rt.info.sharedMemory) this.threads = 1;
  }

  private startWorkers(): void {
    while (this.workers.length < this.threads - 1) {
      const t = this.workers.length + 1;
      const control = this.rt.controlAddress(t);
      const slot: WorkerSlot = {
        ctl: new Int32Array(this.rt.memory.buffer, control, 128),
        f64: new Float64Array(this.rt.memory.buffer, control, 64),
        alive: true,
      };
      slot.ctl.fill(0);
      slot.ctl[SLOT.thread] = t;
      const started = spawn({ module: this.rt.module, memory: this.rt.memory, control, counters: this.rt.controlAddress(0) }, () => {
        slot.alive = false;
      });
      if (!started) {
        this.threads = this.workers.length + 1;
        return;
      }
      this.workers.push(slot);
    }
  }

  /**
   * A job of `total` units in chunks: `perThread` chunks per thread when `parallel` (enough that a late worker costs
   * little, few enough that each chunk stays efficient), else one chunk.
   */
  chunked(fn: ChunkedJob['fn'], base: number[], step: number[], total: number, countArg: number,
    threadArgs: ChunkedJob['threadArgs'], parallel: boolean, perThread: number): ChunkedJob {
    const per = parallel ? Math.max(1, Math.ceil(total / (this.threads * perThread))) : total;
    return { fn, base, step, total, per, countArg, threadArgs };
  }

  /**
   * Runs every chunk of `job` and returns when all are done: the calling thread and the ready workers take
   * chunks from a shared counter, so work flows to whoever is free. A worker that is not ready (or has died)
   * is simply not asked, and one that has not woken by the time the chunks run out is not waited for.
   */
  run(job: ChunkedJob): void {
    const chunks = Math.ceil(job.total / job.per);
    if (chunks > 1 && this.threads > 1 && this.workers.length < this.threads - 1) this.startWorkers();
    const local = this.local[job.fn];
    const args: number[] = [];
    const helpers = chunks > 1 && job.base.length <= MAX_ARGS
      ? this.workers.slice(0, this.threads - 1).filter((w) => w.alive && Atomics.load(w.ctl, SLOT.ready) === 1)
      : [];
    if (helpers.length === 0) {
      for (let c = 0; c < chunks; c++) local(...chunkArgs(job, c, 0, args));
      return;
    }
    const counters = this.counters;
    Atomics.store(counters, COUNTER.next, 0);
    Atomics.store(counters, COUNTER.finished, 0);
    // job numbers stay positive int32s (the offer slot holds a taken job as its negation)
    const seq = (this.seq = (this.seq % 0x7ffffffe) + 1);
    const n = job.base.length;
    const [ta, tb] = job.threadArgs;
    for (const w of helpers) {
      const { ctl, f64 } = w;
      ctl[SLOT.fn] = THREAD_FUNCTIONS.indexOf(job.fn);
      ctl[SLOT.nargs] = n;
      ctl[SLOT.chunks] = chunks;
      ctl[SLOT.per] = job.per;
      ctl[SLOT.total] = job.total;
      ctl[SLOT.countArg] = job.countArg;
      ctl[SLOT.threadArgA] = ta ? ta[0] : -1;
      ctl[SLOT.threadArgB] = tb ? tb[0] : -1;
      if (ta) [f64[F64.threadBaseA], f64[F64.threadStrideA]] = [ta[1], ta[2]];
      if (tb) [f64[F64.threadBaseB], f64[F64.threadStrideB]] = [tb[1], tb[2]];
      for (let k = 0; k < n; k++) {
        f64[F64.args + k] = job.base[k];
        f64[F64.args + n + k] = job.step[k];
      }
      Atomics.store(ctl, SLOT.offer, seq);
      Atomics.store(ctl, SLOT.seq, seq);
      Atomics.notify(ctl, SLOT.seq);
    }
    for (let c = Atomics.add(counters, COUNTER.next, 1); c < chunks; c = Atomics.add(counters, COUNTER.next, 1)) {
      local(...chunkArgs(job, c, 0, args));
      Atomics.add(counters, COUNTER.finished, 1);
    }
    // A worker that has not taken its offer yet never will (withdrawn here, it finds the job gone); one that has
    // must finish before its control block is reused. A dead one's taken chunk (if any) is lost with it, so the
    // chunks are counted as well.
    for (const w of helpers) {
      if (Atomics.compareExchange(w.ctl, SLOT.offer, seq, 0) === seq) continue;
      let spins = 0;
      for (let v = Atomics.load(w.ctl, SLOT.offer); v !== 0 && w.alive; v = Atomics.load(w.ctl, SLOT.offer)) {
        if (++spins > 100_000 && this.canBlock) Atomics.wait(w.ctl, SLOT.offer, v, 50);
      }
    }
    if (Atomics.load(counters, COUNTER.finished) !== chunks) {
      throw new Error('wasm backend: a kernel worker thread died during a parallel kernel');
    }
  }

}
