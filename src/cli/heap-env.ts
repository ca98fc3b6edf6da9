/**
 * The environment the `shendu` command runs node in (see bin.ts): glibc's malloc told to keep the memory it has
 * instead of handing it back to the system after every collection.
 *
 * Why: tensors' arrays are freed by V8's collector, in bursts, and glibc then trims the heap top and unmaps large
 * blocks, so the next step's arrays arrive as fresh pages — a page fault per 4 KiB (~11 µs each on the machines
 * we measure on), thousands per training step. Measured with `node dist/bench/profile-rnn.js` (alternating runs):
 * transformer_train 1,400-3,400 -> 9-71 faults per step and 162-207 -> 136-158 ms per step; LeNet-5 500 -> 250
 * faults, 17.6-19.3 -> 14.7-15.8 ms per step; ResNet-20 7,900 -> 145 faults. glibc reads these variables once,
 * when the process starts, so a library cannot set them for its own process: the command sets them for the node
 * it starts, a script that imports shendu gets the same by starting node with them, and elsewhere than glibc they
 * are ignored. Values the caller has set already are kept.
 * @module
 */

/**
 * Variable -> value: `MALLOC_TRIM_THRESHOLD_` never trim the heap top, `MALLOC_TOP_PAD_` grow it 256 MiB at a
 * time, `MALLOC_MMAP_THRESHOLD_` serve blocks up to 32 MiB (glibc's largest) from the heap rather than from their
 * own mappings. bin.ts repeats them in its shell line; test/cli/launcher.test.ts checks the two agree.
 */
export const HEAP_ENV: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_TRIM_THRESHOLD_: '4294967295',
  MALLOC_TOP_PAD_: '268435456',
  MALLOC_MMAP_THRESHOLD_: '33554432',
});

/** `env` with HEAP_ENV's variables added where `env` lacks them (a new object; `env` is not changed). */
export function withHeapEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(HEAP_ENV)) if (out[k] === undefined) out[k] = v;
  return out;
}
