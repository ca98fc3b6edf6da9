/**
 * Bad inputs of the margin, embedding and likelihood losses and their modules: each call must throw the typed
 * error whose message names the loss, the argument, what was expected and what was got.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { DTypeError, ShapeError, ValueError, nn } from '../../src/index.js';

type Row = [label: string, call: () => unknown, type: new (...args: never[]) => Error, message: RegExp];

const x = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
const i32 = (v: number[] | number[][]) => sd.tensor(v, { dtype: 'int32' });
const f64 = (v: number[] | number[][]) => sd.tensor(v, { dtype: 'float64' });
const anyOpts = (o: Record<string, unknown>) => o as never;

const rows: Row[] = [
  ['marginRankingLoss: input2 shape', () => F.marginRankingLoss(x([3]), x([4]), x([3])), ShapeError, /^marginRankingLoss: input2 shape \[4\] must equal the input1 shape \[3\]$/],
  ['marginRankingLoss: target shape', () => F.marginRankingLoss(x([3]), x([3]), x([2])), ShapeError, /^marginRankingLoss: target shape \[2\] must equal the input shape \[3\]$/],
  ['marginRankingLoss: int input', () => F.marginRankingLoss(i32([1, 2]), x([2]), x([2])), DTypeError, /^marginRankingLoss: input must be a floating-point tensor, got dtype int32$/],
  ['marginRankingLoss: margin', () => F.marginRankingLoss(x([2]), x([2]), x([2]), anyOpts({ margin: 'big' })), ValueError, /^marginRankingLoss: margin must be a number, got big$/],
  ['marginRankingLoss: reduction', () => F.marginRankingLoss(x([2]), x([2]), x([2]), anyOpts({ reduction: 'avg' })), ValueError, /^marginRankingLoss: reduction must be one of 'none', 'mean', 'sum', got 'avg'$/],
  ['hingeEmbeddingLoss: target shape', () => F.hingeEmbeddingLoss(x([2, 3]), x([3, 2])), ShapeError, /^hingeEmbeddingLoss: target shape \[3, 2\] must equal the input shape \[2, 3\]$/],
  ['hingeEmbeddingLoss: bool target', () => F.hingeEmbeddingLoss(x([2]), sd.tensor([true, false])), DTypeError, /^hingeEmbeddingLoss: target must be a floating-point tensor or int32, got dtype bool$/],
  ['softMarginLoss: not a tensor', () => F.softMarginLoss([1, 2] as never, x([2])), ValueError, /^softMarginLoss: input must be a Tensor, got an array$/],
  ['multilabelMarginLoss: 3-D input', () => F.multilabelMarginLoss(x([2, 2, 2]), i32([[[0, -1], [0, -1]], [[0, -1], [0, -1]]] as never)), ShapeError, /^multilabelMarginLoss: input must be \[N, C\] or \[C\], got shape \[2, 2, 2\]$/],
  ['multilabelMarginLoss: target shape', () => F.multilabelMarginLoss(x([2, 3]), i32([0, 1, -1])), ShapeError, /^multilabelMarginLoss: target shape \[3\] must equal the input shape \[2, 3\]$/],
  ['multilabelMarginLoss: float target', () => F.multilabelMarginLoss(x([3]), f64([0, 1, -1])), DTypeError, /^multilabelMarginLoss: target must be an int32 tensor of class indices, got dtype float64$/],
  ['multilabelMarginLoss: class out of range', () => F.multilabelMarginLoss(x([2, 3]), i32([[0, 3, -1], [1, -1, 0]])), ValueError, /^multilabelMarginLoss: target 3 \(at flat index 1\) is out of range for 3 classes \(valid: 0\.\.2, or -1 to end the list\)$/],
  ['multilabelSoftMarginLoss: weight shape', () => F.multilabelSoftMarginLoss(x([2, 3]), x([2, 3]), { weight: x([4]) }), ShapeError, /^multilabelSoftMarginLoss: weight of shape \[4\] must broadcast to the input shape \[2, 3\]$/],
  ['multilabelSoftMarginLoss: 0-d input', () => F.multilabelSoftMarginLoss(x([]), x([])), ShapeError, /^multilabelSoftMarginLoss: input must be \[N, C\] or \[C\], got shape \[\]$/],
  ['cosineEmbeddingLoss: 3-D inputs', () => F.cosineEmbeddingLoss(x([2, 2, 2]), x([2, 2, 2]), x([2])), ShapeError, /^cosineEmbeddingLoss: inputs must be \[N, D\] or \[D\], got shape \[2, 2, 2\]$/],
  ['cosineEmbeddingLoss: target shape', () => F.cosineEmbeddingLoss(x([4, 3]), x([4, 3]), x([3])), ShapeError, /^cosineEmbeddingLoss: target must have shape \[4\] for inputs \[4, 3\], got \[3\]$/],
  ['cosineEmbeddingLoss: input2 dtype', () => F.cosineEmbeddingLoss(x([4, 3]), i32([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]), x([4])), DTypeError, /^cosineEmbeddingLoss: input2 must be a floating-point tensor, got dtype int32$/],
  ['tripletMarginLoss: 3-D anchor', () => F.tripletMarginLoss(x([1, 2, 3]), x([1, 2, 3]), x([1, 2, 3])), ShapeError, /^tripletMarginLoss: anchor must be \[N, D\] or \[D\], got shape \[1, 2, 3\]$/],
  ['tripletMarginLoss: negative shape', () => F.tripletMarginLoss(x([2, 3]), x([2, 3]), x([3, 3])), ShapeError, /^tripletMarginLoss: negative shape \[3, 3\] must equal the anchor shape \[2, 3\]$/],
  ['tripletMarginLoss: p', () => F.tripletMarginLoss(x([2, 3]), x([2, 3]), x([2, 3]), { p: -1 }), ValueError, /^tripletMarginLoss: p must be a number >= 0, got -1$/],
  ['tripletMarginLoss: swap', () => F.tripletMarginLoss(x([2, 3]), x([2, 3]), x([2, 3]), anyOpts({ swap: 1 })), ValueError, /^tripletMarginLoss: swap must be a boolean, got 1$/],
  ['tripletMarginWithDistanceLoss: distanceFunction', () => F.tripletMarginWithDistanceLoss(x([2, 3]), x([2, 3]), x([2, 3]), anyOpts({ distanceFunction: 3 })), ValueError, /^tripletMarginWithDistanceLoss: distanceFunction must be a function, got number$/],
  ['tripletMarginWithDistanceLoss: positive dtype', () => F.tripletMarginWithDistanceLoss(x([2]), i32([1, 2]), x([2])), DTypeError, /^tripletMarginWithDistanceLoss: positive must be a floating-point tensor, got dtype int32$/],
  ['poissonNllLoss: target shape', () => F.poissonNllLoss(x([2, 3]), x([3])), ShapeError, /^poissonNllLoss: target shape \[3\] must equal the input shape \[2, 3\]$/],
  ['poissonNllLoss: logInput', () => F.poissonNllLoss(x([2]), x([2]), anyOpts({ logInput: 'yes' })), ValueError, /^poissonNllLoss: logInput must be a boolean, got yes$/],
  ['gaussianNllLoss: variance shape', () => F.gaussianNllLoss(x([4, 3]), x([4, 3]), x([3])), ShapeError, /^gaussianNllLoss: variance of shape \[3\] must have the input's shape \[4, 3\], or \[4\] or \[4, 1\] \(one variance per row\)$/],
  ['gaussianNllLoss: negative variance', () => F.gaussianNllLoss(x([2]), x([2]), f64([1, -0.5])), ValueError, /^gaussianNllLoss: variance has negative entries$/],
  ['gaussianNllLoss: eps', () => F.gaussianNllLoss(x([2]), x([2]), f64([1, 1]), { eps: -1 }), ValueError, /^gaussianNllLoss: eps must be a number >= 0, got -1$/],
  ['gaussianNllLoss: int variance', () => F.gaussianNllLoss(x([2]), x([2]), i32([1, 1])), DTypeError, /^gaussianNllLoss: variance must be a floating-point tensor, got dtype int32$/],
  ['MarginRankingLoss: reduction', () => new nn.MarginRankingLoss(anyOpts({ reduction: 'max' })), ValueError, /^MarginRankingLoss: reduction must be one of 'none', 'mean', 'sum', got 'max'$/],
  ['TripletMarginLoss: eps', () => new nn.TripletMarginLoss({ eps: -1 }), ValueError, /^TripletMarginLoss: eps must be a number >= 0, got -1$/],
  ['PoissonNLLLoss: full', () => new nn.PoissonNLLLoss(anyOpts({ full: 0 })), ValueError, /^PoissonNLLLoss: full must be a boolean, got 0$/],
  ['HingeEmbeddingLoss: margin', () => new nn.HingeEmbeddingLoss(anyOpts({ margin: NaN })), ValueError, /^HingeEmbeddingLoss: margin must be a number, got NaN$/],
];

describe('margin, embedding and likelihood losses: bad inputs', () => {
  for (const [label, call, type, message] of rows) {
    test(label, () => {
      assert.throws(call, (e: unknown) => {
        assert.ok(e instanceof type, `expected ${type.name}, got ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
        assert.match((e as Error).message, message);
        return true;
      });
    });
  }
});
