/**
 * The kernel thread pool: worker threads (Node.js worker_threads, or Web Workers in a cross-origin isolated
 * page) that instantiate the kernel module on the same shared memory and run jobs handed to them through
 * control blocks in that memory. The calling thread runs one share of every parallel kernel itself and waits
 * for the others, so kernels stay synchronous. Workers start in the background the first time more than one
 * thread is asked for; until one reports ready, its share runs on the calling thread.
 * @module
 */
import { ARG_BASE_F64, MAX_ARGS, SLOT, THREAD_FUNCTIONS, type ThreadFunction, type WorkerInit } from './protocol.js';
import { MAX_THREADS, nodeBuiltin, type WasmRuntime } from './runtime.js';

/** One job: a kernel export and its arguments. */
export interface Job {
  /** Which kernel. */
  fn: ThreadFunction;
  /** Its arguments. */
  args: number[];
}

interface WorkerSlot {
  ctl: Int32Array;
  argv: Float64Array;
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

/** Starts one kernel worker; null where the engine has no way to (or memory is not shared). */
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

  /** A pool for `rt`, using `threads` threads (the calling one included). */
  constructor(private readonly rt: WasmRuntime, threads: number) {
    this.local = Object.fromEntries(THREAD_FUNCTIONS.map((n) => [n, (rt.exports as unknown as Record<string, Kernel>)[n]])) as Record<ThreadFunction, Kernel>;
    // Node lets its main thread block in Atomics.wait; a browser's main thread must spin instead.
    this.canBlock = nodeBuiltin('node:worker_threads') !== undefined;
    this.setThreads(threads);
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
        ctl: new Int32Array(this.rt.memory.buffer, control, 64),
        argv: new Float64Array(this.rt.memory.buffer, control, 32),
        alive: true,
      };
      slot.ctl.fill(0);
      const started = spawn({ module: this.rt.module, memory: this.rt.memory, control }, () => {
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
   * Runs the jobs in parallel (at most `size` of them), the first on the calling thread, and returns when all
   * are done. A job whose worker is not ready (or has died) runs on the calling thread.
   */
  run(jobs: Job[]): void {
    if (jobs.length > 1 && this.workers.length < this.threads - 1) this.startWorkers();
    const handed: WorkerSlot[] = [];
    const mine: Job[] = [jobs[0]];
    const seq = ++this.seq;
    for (let j = 1; j < jobs.length; j++) {
      const w = this.workers[j - 1];
      if (!w || !w.alive || Atomics.load(w.ctl, SLOT.ready) !== 1 || jobs[j].args.length > MAX_ARGS) {
        mine.push(jobs[j]);
        continue;
      }
      const { fn, args } = jobs[j];
      w.ctl[SLOT.fn] = THREAD_FUNCTIONS.indexOf(fn);
      w.ctl[SLOT.nargs] = args.length;
      for (let i = 0; i < args.length; i++) w.argv[ARG_BASE_F64 + i] = args[i];
      Atomics.store(w.ctl, SLOT.seq, seq);
      Atomics.notify(w.ctl, SLOT.seq);
      handed.push(w);
    }
    for (const job of mine) this.local[job.fn](...job.args);
    for (let h = 0; h < handed.length; h++) {
      const w = handed[h];
      let spins = 0;
      while (Atomics.load(w.ctl, SLOT.done) !== seq) {
        if (!w.alive) {
          this.local[jobs[this.workers.indexOf(w) + 1].fn](...jobs[this.workers.indexOf(w) + 1].args);
          break;
        }
        if (++spins > 100_000 && this.canBlock) Atomics.wait(w.ctl, SLOT.done, Atomics.load(w.ctl, SLOT.done), 50);
      }
    }
  }
}
