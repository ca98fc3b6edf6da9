/**
 * The PictureSaver callback: after every epoch, writes the pictures the task draws (`Task.pictures`) through a
 * FileStore, as `<name>.png` (the latest) and, with `everyEpoch`, also `<name>-epoch<k>.png`.
 * @module
 */
import { ValueError } from '../errors.js';
import { checkFileName, type FileStore } from './store.js';
import type { Callback, EpochLogs, FitContext } from './types.js';

/** Options of PictureSaver. */
export interface PictureSaverOptions {
  /** Where the PNGs go. */
  store: FileStore;
  /** Also keep one file per epoch (`<name>-epoch<k>.png`), e.g. to watch a GAN's samples improve (default false). */
  everyEpoch?: boolean;
}

/** Writes the task's per-epoch pictures (nothing for a task that draws none). */
export class PictureSaver implements Callback {
  /** Names of the files written so far. */
  readonly written = new Set<string>();

  /** Creates the callback. */
  constructor(readonly opts: PictureSaverOptions) {
    if (opts === null || typeof opts !== 'object' || opts.store === null || typeof opts.store?.write !== 'function') {
      throw new ValueError('PictureSaver: opts.store must be a FileStore');
    }
  }

  /** Asks the task for its pictures and writes them. */
  onEpochEnd(epoch: number, _logs: EpochLogs, ctx: FitContext): void {
    const pictures = ctx.task?.pictures?.(epoch) ?? [];
    for (const p of pictures) {
      if (!(p?.png instanceof Uint8Array)) throw new ValueError(`PictureSaver: the task's picture '${String(p?.name)}' must have PNG bytes (Uint8Array), got ${typeof p?.png}`);
      const names = [`${p.name}.png`, ...(this.opts.everyEpoch ? [`${p.name}-epoch${epoch}.png`] : [])];
      for (const name of names) {
        this.opts.store.write(checkFileName('PictureSaver', name), p.png);
        this.written.add(name);
      }
    }
  }
}
