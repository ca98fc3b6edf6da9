/**
 * The zoo's `nascnn`: a CNN whose architecture a neural architecture search found (tune's chain-of-stages CNN
 * space), built by tune's `buildCnn`. Its options carry the decoded architecture itself — plain JSON — so a run's
 * checkpoint metadata holds everything needed to rebuild it, and eval, predict, summary and export restore the
 * run without the architecture file it was trained from.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Sequential } from '../nn/containers.js';
import type { NasArchitecture, CnnHead } from '../tune/nas/arch-file.js';
import { buildCnn } from '../tune/nas/cnn-net.js';
import type { CnnArchitecture } from '../tune/nas/cnn-space.js';

/** Options of the zoo's `nascnn`. */
export interface NasCnnOptions {
  /** The decoded architecture (`space.decode(encoding)`, or `loadArchitecture(file).architecture`); required. */
  architecture?: CnnArchitecture;
  /** Input channels (default 1). */
  inChannels?: number;
  /** Number of classes (default 10). */
  numClasses?: number;
  /** The classifier: 'avgpool' (global average pooling, any input size) or 'flatten' (needs inputSize). Default 'avgpool'. */
  head?: CnnHead;
  /** Height = width of the input images, which the 'flatten' head's Linear depends on (default 28). */
  inputSize?: number;
}

/**
 * The network of `opts.architecture`: images [N, inChannels, inputSize, inputSize] -> logits [N, numClasses]
 * (see `buildCnn`). Throws ValueError when the architecture is missing or malformed.
 */
export function nasCnn(opts: NasCnnOptions = {}): Sequential {
  if (opts.architecture === undefined) {
    throw new ValueError("nascnn: options.architecture is required (the decoded architecture a NAS search found, e.g. loadArchitecture(file).architecture; on the command line: shendu train|summary nascnn --arch FILE)");
  }
  return buildCnn(opts.architecture, { inChannels: opts.inChannels, numClasses: opts.numClasses, head: opts.head, imageSize: opts.inputSize });
}

/** The `nascnn` options an architecture file gives: its architecture and the head it was searched with. */
export function nasCnnOptions(found: NasArchitecture): Pick<NasCnnOptions, 'architecture' | 'head'> {
  return found.head === undefined ? { architecture: found.architecture } : { architecture: found.architecture, head: found.head };
}
