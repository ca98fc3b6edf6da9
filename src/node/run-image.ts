/**
 * The bytes of one PNG or JPEG image as a trained run's model takes it — the same steps as `runImage`
 * (recipe.ts) takes for a file, for callers whose image never was a file (the HTTP server's request bodies).
 * `runImage(info, file, opts)` gives the same tensors as `runImageBytes(info, readDataFile(file), file, opts)`
 * (a test holds the two together).
 * @module
 */
import { resizeAntialiased } from '../ops/antialias.js';
import type { Tensor } from '../tensor/tensor.js';
import { decodeImageBytes, imageToTensor } from './datasets/image-folder.js';
import { applyPrep, normalizeBatch, type RunInfo } from './recipe.js';

/** The per-sample input shape [C, H, W] the run's model was trained on: its channels and the prepared image size. */
export function runInputShape(info: RunInfo): [number, number, number] {
  const channels = info.modelOptions.inChannels ?? 1;
  const size = info.imageSize ?? info.modelOptions.inputSize ?? 28;
  const prep = info.prep;
  const prepared = !prep ? size : prep.kind === 'pad' ? size + 2 * prep.pad : prep.size;
  return [channels, prepared, prepared];
}

/**
 * Decodes PNG or JPEG `bytes` (named `source` in errors: truncated or corrupt data is a DataError) to the
 * run's channels (refused above `maxPixels` before decoding), resizes it (antialiased bilinear) to the images
 * the run trained on, optionally inverts it, and prepares and normalizes it as in training. `image` is that
 * [C, H, W] picture in [0, 1]; `input` the normalized batch [1, C, H, W]; `originalSize` the [width, height].
 */
export function runImageBytes(
  info: RunInfo, bytes: Uint8Array, source: string, opts: { maxPixels?: number; invert?: boolean } = {},
): { image: Tensor; input: Tensor; originalSize: [number, number] } {
  const channels = (info.modelOptions.inChannels ?? 1) as 1 | 3;
  const size = info.imageSize ?? info.modelOptions.inputSize ?? 28;
  let image = imageToTensor(decodeImageBytes(bytes, source, opts.maxPixels), { channels });
  const originalSize: [number, number] = [image.shape[2], image.shape[1]];
  if (image.shape[1] !== size || image.shape[2] !== size) image = resizeAntialiased(image, [size, size], 'bilinear');
  if (opts.invert) image = image.neg().add(1);
  image = applyPrep(image.unsqueeze(0), info.prep).squeeze(0);
  return { image, input: normalizeBatch(image.unsqueeze(0), info.norm), originalSize };
}
