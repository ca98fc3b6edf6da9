/**
 * `nn.utils`, as torch.nn.utils: `nn.utils.rnn` holds the packed-sequence helpers (packPaddedSequence, ...);
 * `skipInit` builds a module without drawing its initial weights.
 * @module
 */
export * as rnn from './rnn-pack.js';
export { skipInit } from './init.js';
