/**
 * Which storages were made while a backward pass ran: the autograd engine opens a log for the pass, every storage
 * constructor notes itself in the open log, and the engine asks whether a gradient's memory is new (so that no
 * tensor from before the pass, a user's or one saved for backward, can be in it). A WeakSet, so the log holds
 * nothing alive.
 * @module
 */

let open: WeakSet<object> | null = null;
/** The open collector of `collectBirths`, if any: a plain list, held only while one vjp runs. */
let collector: object[] | null = null;

/**
 * Called by storage constructors: notes `storage` in the open log, if any. The log trusts the kernels' contract
 * that a storage they return wraps memory of its own (a new result, or a result re-labelled for another backend
 * that nothing else wraps): storages that re-wrap live memory (the cpu convolution's dense views of its operands)
 * stay inside their kernel, and no kernel may return one, or it would pass for new here.
 */
export function noteStorageBirth(storage: object): void {
  if (open !== null) open.add(storage);
  if (collector !== null) collector.push(storage);
}

/**
 * Runs `fn`, listing every storage made while it runs (the autograd engine lists one vjp's temporaries this way);
 * a nested call lists its own and hides them from the outer one. Returns fn's result and the list.
 */
export function collectBirths<R>(fn: () => R): [R, object[]] {
  const outer = collector;
  const list: object[] = [];
  collector = list;
  try {
    return [fn(), list];
  } finally {
    collector = outer;
  }
}

/** Opens a fresh log (returning the one it replaces, for `restoreBirthLog`) and returns both. */
export function openBirthLog(): { log: WeakSet<object>; previous: WeakSet<object> | null } {
  const previous = open;
  open = new WeakSet();
  return { log: open, previous };
}

/** Puts back the log that `openBirthLog` replaced. */
export function restoreBirthLog(previous: WeakSet<object> | null): void {
  open = previous;
}
