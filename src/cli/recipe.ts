/**
 * The optimizer a `shendu train` command line asks for (`--optimizer NAME --lr X --weight-decay W`), built through
 * the library's optimizer registry.
 * @module
 */
import type { Optimizer } from '../optim/optimizer.js';
import { createOptimizer, type OptimizerParams } from '../optim/registry.js';

/**
 * The optimizer `--optimizer NAME --lr X --weight-decay W` asks for, from the library's registry. A weight decay of
 * 0 is left to the optimizer's default (AdamW's is 0.01, as in PyTorch).
 */
export function makeOptimizer(name: string, params: OptimizerParams, lr: number, weightDecay: number): Optimizer {
  return createOptimizer(name, params, { lr, weightDecay: weightDecay || undefined });
}
