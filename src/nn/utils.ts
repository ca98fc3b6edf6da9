/**
 * `nn.utils`, as torch.nn.utils: `nn.utils.rnn` holds the packed-sequence helpers (packPaddedSequence, ...).
 * @module
 */
export * as rnn from './rnn-pack.js';
