/**
 * Long-lived float32 storages kept in the kernel memory itself, so that kernels read and update them where they
 * are instead of copying them into the arena and back on every call: a trained parameter is read by the forward
 * and backward products of every step and rewritten by every optimizer step, and its optimizer state (momentum,
 * Adam's moments) is read and rewritten by every step. The optimizer kernels move their operands here on first
 * use (the only point that knows a storage will be updated step after step); every other kernel only reads a
 * resident operand in place.
 *
 * The move is invisible: the storage keeps its identity and values, and its array becomes a Float32Array over the
 * kernel memory, which plain TypeScript code reads and writes like any other. Only where that memory is a
 * SharedArrayBuffer — growing it then never detaches the arrays over it. A block is freed when its array is
 * garbage (a FinalizationRegistry callback, run between tasks, never inside a kernel), and the total is
 * bounded: past the budget, storages stay in host memory and are copied as before.
 * @module
 */
import type { HostStorage } from '../cpu/storage.js';
import type { WasmRuntime } from './runtime.js';

/** Bytes of kernel memory resident storages may hold at once. */
export const RESIDENT_BUDGET_BYTES = 256 * 1024 * 1024;

/** Blocks start at multiples of this many bytes (SIMD loads; separate cache lines). */
const BLOCK_ALIGN = 64;

/** The resident storages of one runtime: where each array lives, and the free blocks between them. */
export class ResidentMemory {
  private readonly address = new WeakMap<Float32Array, number>();
  private readonly sizes = new Map<number, number>();
  /** Free blocks, by address: [address, bytes] pairs, neighbours merged. */
  private free: [number, number][] = [];
  private used = 0;
  private readonly registry = new FinalizationRegistry<number>((ptr) => this.release(ptr));

  /** Wraps `rt`; resident storage is possible only when its memory is shared (`rt.info.sharedMemory`). */
  constructor(private readonly rt: WasmRuntime, private readonly budget = RESIDENT_BUDGET_BYTES) {}

  /** Bytes held by resident storages now. */
  get bytes(): number {
    return this.used;
  }

  /** Byte address of `data`'s first element when it lives in the kernel memory, else undefined. */
  addressOf(data: ArrayLike<number>): number | undefined {
    return this.address.get(data as Float32Array);
  }

  /**
   * Moves a float32 storage into the kernel memory (its values copied, its array replaced) and returns its address;
   * returns the address it already has, or null where it cannot move (not float32, not shared memory, over the
   * budget). Call it only between kernels, before the calling kernel places anything in the arena: a new block
   * may extend the runtime's permanent region, which the arena starts above.
   */
  adopt(storage: HostStorage): number | null {
    const data = storage.data;
    const known = this.address.get(data as Float32Array);
    if (known !== undefined) return known;
    if (storage.dtype !== 'float32' || !this.rt.info.sharedMemory || data.length === 0) return null;
    const bytes = Math.ceil((data.length * 4) / BLOCK_ALIGN) * BLOCK_ALIGN;
    if (this.used + bytes > this.budget) return null;
    const ptr = this.take(bytes);
    const view = new Float32Array(this.rt.memory.buffer, ptr, data.length);
    storage.rehome(view);
    this.address.set(view, ptr);
    this.sizes.set(ptr, bytes);
    this.used += bytes;
    this.registry.register(view, ptr);
    return ptr;
  }

  /** A block of `bytes` (a multiple of BLOCK_ALIGN): the first free one large enough, else new permanent memory. */
  private take(bytes: number): number {
    for (let i = 0; i < this.free.length; i++) {
      const [ptr, size] = this.free[i];
      if (size < bytes) continue;
      if (size === bytes) this.free.splice(i, 1);
      else this.free[i] = [ptr + bytes, size - bytes];
      return ptr;
    }
    return this.rt.permanent(bytes);
  }

  /** Frees the block at `ptr` (its array was collected), merging it with free neighbours. */
  private release(ptr: number): void {
    const bytes = this.sizes.get(ptr);
    if (bytes === undefined) return;
    this.sizes.delete(ptr);
    this.used -= bytes;
    let i = 0;
    while (i < this.free.length && this.free[i][0] < ptr) i++;
    this.free.splice(i, 0, [ptr, bytes]);
    // merge with the next block, then with the previous one
    if (i + 1 < this.free.length && this.free[i][0] + this.free[i][1] === this.free[i + 1][0]) {
      this.free[i][1] += this.free[i + 1][1];
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1][0] + this.free[i - 1][1] === this.free[i][0]) {
      this.free[i - 1][1] += this.free[i][1];
      this.free.splice(i, 1);
    }
  }
}
