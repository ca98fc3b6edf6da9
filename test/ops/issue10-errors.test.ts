/**
 * Bad inputs of normalize, cosineSimilarity, pairwiseDistance, pixelShuffle/Unshuffle, affineGrid, gridSample
 * and embeddingBag, and of their layers: each call must throw the typed error whose message names the op, the
 * argument, what was expected and what was got.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as sd from '../../src/index.js';
import * as F from '../../src/nn/functional.js';
import { DTypeError, ShapeError, ValueError, nn } from '../../src/index.js';

type Row = [label: string, call: () => unknown, type: new (...args: never[]) => Error, message: RegExp];

const x = (shape: number[]) => sd.randn(shape, { dtype: 'float64' });
const i32 = (v: number[] | number[][]) => sd.tensor(v, { dtype: 'int32' });
const any = <T>(v: unknown) => v as T;

const rows: Row[] = [
  ['normalize: int input', () => F.normalize(i32([1, 2])), DTypeError, /^normalize: input must be a floating-point tensor, got dtype int32$/],
  ['normalize: dim', () => F.normalize(x([2, 3]), { dim: 2 }), ValueError, /^normalize: dim must be an integer in \[-2, 1\] for shape \[2, 3\], got 2$/],
  ['normalize: p', () => F.normalize(x([2, 3]), { p: -2 }), ValueError, /^normalize: p must be a number >= 0, Infinity or -Infinity, got -2$/],
  ['normalize: eps', () => F.normalize(x([2, 3]), { eps: -1 }), ValueError, /^normalize: eps must be a number >= 0, got -1$/],
  ['cosineSimilarity: shapes', () => F.cosineSimilarity(x([2, 3]), x([2, 4])), ShapeError, /^cosineSimilarity: shapes \[2, 3\] and \[2, 4\] cannot be broadcast together/],
  ['cosineSimilarity: 0-d', () => F.cosineSimilarity(x([]), x([])), ShapeError, /^cosineSimilarity: inputs must have at least 1 dimension, got x1 \[\] and x2 \[\]$/],
  ['cosineSimilarity: x2 dtype', () => F.cosineSimilarity(x([3]), i32([1, 2, 3]), { dim: 0 }), DTypeError, /^cosineSimilarity: x2 must be a floating-point tensor, got dtype int32$/],
  ['cosineSimilarity: dim', () => F.cosineSimilarity(x([3]), x([3])), ValueError, /^cosineSimilarity: dim must be an integer in \[-1, 0\] for shape \[3\], got 1$/],
  ['pairwiseDistance: shapes', () => F.pairwiseDistance(x([2, 3]), x([3, 2])), ShapeError, /^pairwiseDistance: shapes \[2, 3\] and \[3, 2\] cannot be broadcast together/],
  ['pairwiseDistance: keepdim', () => F.pairwiseDistance(x([2, 3]), x([2, 3]), any({ keepdim: 1 })), ValueError, /^pairwiseDistance: keepdim must be a boolean, got 1$/],
  ['pairwiseDistance: x1 not a tensor', () => F.pairwiseDistance(any(3), x([3])), ValueError, /^pairwiseDistance: x1 must be a Tensor, got number$/],
  ['pixelShuffle: 2-D input', () => F.pixelShuffle(x([4, 4]), 2), ShapeError, /^pixelShuffle: input must be at least 3-D \(\*, C, H, W\), got shape \[4, 4\]$/],
  ['pixelShuffle: channels', () => F.pixelShuffle(x([1, 6, 2, 2]), 2), ShapeError, /^pixelShuffle: the channel count 6 of input \[1, 6, 2, 2\] must be divisible by upscaleFactor\^2 = 4$/],
  ['pixelShuffle: factor', () => F.pixelShuffle(x([1, 4, 2, 2]), 1.5), ValueError, /^pixelShuffle: upscaleFactor must be a positive integer, got 1\.5$/],
  ['pixelUnshuffle: size', () => F.pixelUnshuffle(x([1, 1, 4, 3]), 2), ShapeError, /^pixelUnshuffle: the height 4 and width 3 of input \[1, 1, 4, 3\] must be divisible by downscaleFactor 2$/],
  ['pixelUnshuffle: factor', () => F.pixelUnshuffle(x([1, 1, 4, 4]), 0), ValueError, /^pixelUnshuffle: downscaleFactor must be a positive integer, got 0$/],
  ['affineGrid: theta shape', () => F.affineGrid(x([2, 3, 3]), [2, 1, 4, 4]), ShapeError, /^affineGrid: theta must be a batch of 2-D affine matrices \[2, 2, 3\] for size \[2, 1, 4, 4\], got \[2, 3, 3\]$/],
  ['affineGrid: batch mismatch', () => F.affineGrid(x([1, 2, 3]), [2, 1, 4, 4]), ShapeError, /^affineGrid: theta must be a batch of 2-D affine matrices \[2, 2, 3\]/],
  ['affineGrid: 3-D size', () => F.affineGrid(x([1, 3, 4]), [1, 1, 2]), ValueError, /^affineGrid: size must be \[N, C, H, W\] or \[N, C, D, H, W\] of positive integers, got \[1,1,2\]$/],
  ['affineGrid: theta for a volume', () => F.affineGrid(x([1, 2, 3]), [1, 1, 2, 2, 2]), ShapeError, /^affineGrid: theta must be a batch of 3-D affine matrices \[1, 3, 4\] for size \[1, 1, 2, 2, 2\], got \[1, 2, 3\]$/],
  ['affineGrid: int theta', () => F.affineGrid(sd.zeros([1, 2, 3], { dtype: 'int32' }), [1, 1, 2, 2]), DTypeError, /^affineGrid: theta must be a floating-point tensor, got dtype int32$/],
  ['affineGrid: alignCorners', () => F.affineGrid(x([1, 2, 3]), [1, 1, 2, 2], any({ alignCorners: 'no' })), ValueError, /^affineGrid: alignCorners must be a boolean, got no$/],
  ['gridSample: 3-D input', () => F.gridSample(x([1, 4, 4]), x([1, 2, 2, 2])), ShapeError, /^gridSample: input must be 4-D \(N, C, H, W\) or 5-D \(N, C, D, H, W\), got shape \[1, 4, 4\]$/],
  ['gridSample: grid last dim', () => F.gridSample(x([1, 1, 4, 4]), x([1, 2, 2, 3])), ShapeError, /^gridSample: grid must be \[1, Ho, Wo, 2\] for input \[1, 1, 4, 4\], got \[1, 2, 2, 3\]$/],
  ['gridSample: volume grid', () => F.gridSample(x([1, 1, 2, 4, 4]), x([1, 2, 2, 2])), ShapeError, /^gridSample: grid must be \[1, Do, Ho, Wo, 3\] for input \[1, 1, 2, 4, 4\], got \[1, 2, 2, 2\]$/],
  ['gridSample: bicubic volume', () => F.gridSample(x([1, 1, 2, 4, 4]), x([1, 1, 2, 2, 3]), { mode: 'bicubic' }), ValueError, /^gridSample: mode 'bicubic' needs a 4-D input \(N, C, H, W\), got shape \[1, 1, 2, 4, 4\]$/],
  ['gridSample: grid batch', () => F.gridSample(x([2, 1, 4, 4]), x([1, 2, 2, 2])), ShapeError, /^gridSample: grid must be \[2, Ho, Wo, 2\]/],
  ['gridSample: mode', () => F.gridSample(x([1, 1, 4, 4]), x([1, 2, 2, 2]), any({ mode: 'area' })), ValueError, /^gridSample: mode must be 'bilinear', 'nearest' or 'bicubic', got area$/],
  ['gridSample: paddingMode', () => F.gridSample(x([1, 1, 4, 4]), x([1, 2, 2, 2]), any({ paddingMode: 'wrap' })), ValueError, /^gridSample: paddingMode must be 'zeros', 'border' or 'reflection', got wrap$/],
  ['gridSample: dtypes differ', () => F.gridSample(x([1, 1, 4, 4]), sd.randn([1, 2, 2, 2])), DTypeError, /^gridSample: grid dtype float32 differs from input dtype float64$/],
  ['gridSample: empty image', () => F.gridSample(x([1, 1, 0, 4]), x([1, 2, 2, 2])), ShapeError, /^gridSample: input must have a non-empty image, got shape \[1, 1, 0, 4\]$/],
  ['embeddingBag: float input', () => F.embeddingBag(x([2, 2]), x([5, 3])), DTypeError, /^embeddingBag: input must be an int32 tensor, got dtype float64$/],
  ['embeddingBag: weight rank', () => F.embeddingBag(i32([[1, 2]]), x([5])), ShapeError, /^embeddingBag: weight must be 2-D \(numEmbeddings, dim\), got shape \[5\]$/],
  ['embeddingBag: index range', () => F.embeddingBag(i32([[1, 5]]), x([5, 3])), ValueError, /^embeddingBag: index 5 is out of range for the rows of weight of size 5$/],
  ['embeddingBag: 1-D without offsets', () => F.embeddingBag(i32([1, 2]), x([5, 3])), ValueError, /^embeddingBag: a 1-D input needs offsets \(int32 \[B\]\), got none$/],
  ['embeddingBag: 2-D with offsets', () => F.embeddingBag(i32([[1, 2]]), x([5, 3]), { offsets: i32([0]) }), ValueError, /^embeddingBag: offsets must be null when input is 2-D \(one bag per row\), got shape \[1\]$/],
  ['embeddingBag: 3-D input', () => F.embeddingBag(sd.zeros([1, 1, 1], { dtype: 'int32' }), x([5, 3])), ShapeError, /^embeddingBag: input must be 1-D \(with offsets\) or 2-D \[B, L\], got shape \[1, 1, 1\]$/],
  ['embeddingBag: first offset', () => F.embeddingBag(i32([1, 2, 3]), x([5, 3]), { offsets: i32([1, 2]) }), ValueError, /^embeddingBag: offsets\[0\] must be 0 \(the first bag starts at position 0\), got 1$/],
  ['embeddingBag: decreasing offsets', () => F.embeddingBag(i32([1, 2, 3]), x([5, 3]), { offsets: i32([0, 2, 1]) }), ValueError, /^embeddingBag: offsets must be non-decreasing and at most the input length 3, got 1 after 2 at position 2$/],
  ['embeddingBag: last offset', () => F.embeddingBag(i32([1, 2, 3]), x([5, 3]), { offsets: i32([0, 2]), includeLastOffset: true }), ValueError, /^embeddingBag: with includeLastOffset, the last offset must be the input length 3, got 2$/],
  ['embeddingBag: float offsets', () => F.embeddingBag(i32([1, 2, 3]), x([5, 3]), { offsets: sd.tensor([0, 1]) }), DTypeError, /^embeddingBag: offsets must be an int32 tensor, got dtype float32$/],
  ['embeddingBag: mode', () => F.embeddingBag(i32([[1, 2]]), x([5, 3]), any({ mode: 'min' })), ValueError, /^embeddingBag: mode must be 'sum', 'mean' or 'max', got min$/],
  ['embeddingBag: perSampleWeights mode', () => F.embeddingBag(i32([[1, 2]]), x([5, 3]), { perSampleWeights: x([1, 2]) }), ValueError, /^embeddingBag: perSampleWeights is only supported with mode 'sum', got mode 'mean'$/],
  ['embeddingBag: perSampleWeights shape', () => F.embeddingBag(i32([[1, 2]]), x([5, 3]), { mode: 'sum', perSampleWeights: x([2]) }), ShapeError, /^embeddingBag: perSampleWeights shape \[2\] must equal the input shape \[1, 2\]$/],
  ['embeddingBag: paddingIdx', () => F.embeddingBag(i32([[1, 2]]), x([5, 3]), { paddingIdx: 5 }), ValueError, /^embeddingBag: paddingIdx must be in \[-5, 4\], got 5$/],
  ['PixelShuffle: factor', () => new nn.PixelShuffle(0), ValueError, /^PixelShuffle: upscaleFactor must be a positive integer, got 0$/],
  ['PixelUnshuffle: factor', () => new nn.PixelUnshuffle(-2), ValueError, /^PixelUnshuffle: downscaleFactor must be a positive integer, got -2$/],
  ['CosineSimilarity: eps', () => new nn.CosineSimilarity({ eps: -1 }), ValueError, /^CosineSimilarity: eps must be a number >= 0, got -1$/],
  ['PairwiseDistance: p', () => new nn.PairwiseDistance({ p: -1 }), ValueError, /^PairwiseDistance: p must be a number >= 0, Infinity or -Infinity, got -1$/],
  ['EmbeddingBag: mode', () => new nn.EmbeddingBag(5, 3, any({ mode: 'prod' })), ValueError, /^EmbeddingBag: mode must be 'sum', 'mean' or 'max', got prod$/],
  ['EmbeddingBag: paddingIdx', () => new nn.EmbeddingBag(5, 3, { paddingIdx: -6 }), ValueError, /^EmbeddingBag: paddingIdx must be in \[-5, 4\], got -6$/],
];

describe('distances, pixel shuffle, spatial transformers, embedding bags: bad inputs', () => {
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
