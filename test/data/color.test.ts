import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DTypeError, Generator, ShapeError, ValueError, tensor, transforms as T, type Tensor } from '../../src/index.js';
import { randomPermutation } from '../../src/data/sampler.js';
import { checkErrors } from '../helpers/check-errors.js';

/** Golden values written by tools/make_color_fixtures.py (torchvision 0.14's functional transforms). */
const fx = JSON.parse(readFileSync(new URL('../../../test/fixtures/data/color.json', import.meta.url), 'utf8')) as {
  torchvision: string;
  images: Record<string, { shape: number[]; data: number[] }>;
  cases: { fn: string; image: string; arg: unknown; shape: number[]; out: number[] }[];
};

const image = (name: string, dtype: 'float32' | 'float64' = 'float32') => tensor(fx.images[name].data, { shape: fx.images[name].shape, dtype });
const vals = (x: Tensor) => Array.from(x.toTypedArray());

function run(fn: string, x: Tensor, arg: unknown): Tensor {
  switch (fn) {
    case 'adjustBrightness': return T.adjustBrightness(x, arg as number);
    case 'adjustContrast': return T.adjustContrast(x, arg as number);
    case 'adjustSaturation': return T.adjustSaturation(x, arg as number);
    case 'adjustHue': return T.adjustHue(x, arg as number);
    case 'rgbToGrayscale': return T.rgbToGrayscale(x, arg as 1 | 3);
    case 'pad': {
      const a = arg as { padding: number | number[]; fill?: number; mode: T.ImagePadMode };
      return T.pad(a.padding, { fill: a.fill, mode: a.mode })(x);
    }
    case 'normalize': {
      const a = arg as { mean: number[]; std: number[] };
      return T.normalize(a.mean, a.std)(x);
    }
    default: throw new Error(`unknown fixture function ${fn}`);
  }
}

test(`adjust*, rgbToGrayscale, pad and normalize equal torchvision ${fx.torchvision} (float32 and float64, 1e-5)`, () => {
  assert.ok(fx.cases.length >= 29);
  for (const dtype of ['float32', 'float64'] as const) {
    for (const c of fx.cases) {
      const got = run(c.fn, image(c.image, dtype), c.arg);
      const label = `${c.fn}(${c.image}, ${JSON.stringify(c.arg)}) ${dtype}`;
      assert.deepEqual(got.shape, c.shape, `${label}: shape`);
      assert.equal(got.dtype, dtype, `${label}: dtype`);
      const g = vals(got);
      c.out.forEach((w, i) => assert.ok(Math.abs(g[i] - w) <= 1e-5, `${label}: element ${i}: got ${g[i]}, want ${w}`));
    }
  }
});

test('adjust*: identity factors give the image back; factor 0 gives black / mean gray / grayscale', () => {
  const x = image('rgb', 'float64');
  for (const y of [T.adjustBrightness(x, 1), T.adjustContrast(x, 1), T.adjustSaturation(x, 1), T.adjustHue(x, 0)]) {
    vals(y).forEach((v, i) => assert.ok(Math.abs(v - vals(x)[i]) < 1e-12, `element ${i}`));
  }
  assert.ok(vals(T.adjustBrightness(x, 0)).every((v) => v === 0));
  const flat = vals(T.adjustContrast(x, 0));
  assert.ok(flat.every((v) => Math.abs(v - flat[0]) < 1e-12), 'contrast 0 is one gray value');
  const g = vals(T.rgbToGrayscale(x, 1));
  const s0 = vals(T.adjustSaturation(x, 0));
  for (let c = 0; c < 3; c++) g.forEach((v, k) => assert.ok(Math.abs(s0[c * g.length + k] - v) < 1e-12));
  // a hue turn of +0.5 then -0.5 comes back to the start
  const back = vals(T.adjustHue(T.adjustHue(x, 0.5), -0.5));
  back.forEach((v, i) => assert.ok(Math.abs(v - vals(x)[i]) < 1e-9, `hue round trip ${i}`));
});

test('grayscale and randomGrayscale transforms', () => {
  const x = image('rgb');
  assert.deepEqual(T.grayscale()(x).shape, [1, 5, 7]);
  assert.deepEqual(T.grayscale({ numOutputChannels: 3 })(x).shape, [3, 5, 7]);
  const always = T.randomGrayscale({ p: 1 })(x);
  assert.deepEqual(always.shape, [3, 5, 7], 'keeps the number of channels');
  assert.deepEqual(vals(always), vals(T.rgbToGrayscale(x, 3)));
  assert.equal(T.randomGrayscale({ p: 0 })(x), x);
  const g1 = new Generator(3);
  const seen = Array.from({ length: 200 }, () => T.randomGrayscale({ p: 0.25, generator: g1 })(x) !== x).filter(Boolean).length;
  assert.ok(seen > 30 && seen < 70, `about a quarter turned gray, got ${seen} of 200`);
});

test('colorJitter: a random order, one factor per set range (brightness, contrast, saturation, hue), seeded', () => {
  const x = image('rgb', 'float64');
  const opts = { brightness: 0.4, contrast: [0.7, 1.2] as const, saturation: 0.5, hue: 0.1 };
  const y = T.colorJitter({ ...opts, generator: new Generator(11) })(x);
  // the same draws, made by hand: the permutation first, then the factors in b, c, s, h order
  const g = new Generator(11);
  const order = randomPermutation(4, g);
  const u = (lo: number, hi: number) => lo + (hi - lo) * g.random();
  const f = [u(1 - 0.4, 1 + 0.4), u(0.7, 1.2), u(1 - 0.5, 1 + 0.5), u(-0.1, 0.1)];
  const fns = [T.adjustBrightness, T.adjustContrast, T.adjustSaturation, T.adjustHue];
  const want = order.reduce((img, i) => fns[i](img, f[i]), x);
  assert.deepEqual(vals(y), vals(want));
  assert.notDeepEqual(vals(T.colorJitter({ ...opts, generator: new Generator(12) })(x)), vals(y), 'another seed, another result');
  // a single-point range is that fixed factor; zero strength is the identity
  assert.deepEqual(vals(T.colorJitter({ saturation: [1.5, 1.5], generator: new Generator(1) })(x)), vals(T.adjustSaturation(x, 1.5)));
  assert.deepEqual(vals(T.colorJitter({ brightness: 0, hue: 0 })(x)), vals(x));
  // brightness 0.9 draws from [0.1, 1.9]; 1.5 from [0, 2.5] (clipped at 0, as torchvision)
  const gen = new Generator(4);
  for (let i = 0; i < 50; i++) {
    const one = tensor([[[1]], [[1]], [[1]]]);
    const v = vals(T.colorJitter({ brightness: 0.9, generator: gen })(T.adjustBrightness(one, 0.5)))[0];
    assert.ok(v >= 0.05 - 1e-7 && v <= 0.95 + 1e-7, `0.5 * factor in [0.05, 0.95], got ${v}`);
  }
});

test('pad: shapes, per-side order [left, top, right, bottom], fill only for constant', () => {
  const x = tensor([[[1, 2, 3], [4, 5, 6]]]);
  const y = T.pad([1, 0, 2, 1], { fill: 9 })(x);
  assert.deepEqual(y.shape, [1, 3, 6]);
  assert.deepEqual(vals(y), [9, 1, 2, 3, 9, 9, 9, 4, 5, 6, 9, 9, 9, 9, 9, 9, 9, 9]);
  assert.deepEqual(vals(T.pad(1, { mode: 'replicate' })(x)), [1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 4, 4, 5, 6, 6]);
  assert.deepEqual(vals(T.pad([1, 1], { mode: 'reflect' })(x)), [5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2]);
  assert.deepEqual(T.pad(4)(tensor(new Float32Array(2 * 3 * 8 * 8), { shape: [2, 3, 8, 8] })).shape, [2, 3, 16, 16]);
});

const rgb = () => image('rgb');
const two = () => tensor(new Float32Array(2 * 4 * 4), { shape: [2, 4, 4] });
const four = () => tensor(new Float32Array(4 * 4 * 4), { shape: [4, 4, 4] });
checkErrors('colour transforms and pad', [
  ['saturation of a 2-channel image', () => T.adjustSaturation(two(), 0.5), ShapeError, /^adjustSaturation: expected an image with 1 or 3 channels, got 2 \(shape \[2, 4, 4\]\)/],
  ['hue of a 4-channel image', () => T.adjustHue(four(), 0.1), ShapeError, /^adjustHue: expected an image with 1 or 3 channels, got 4/],
  ['contrast of a 4-channel image', () => T.adjustContrast(four(), 1), ShapeError, /^adjustContrast: expected an image with 1 or 3 channels, got 4/],
  ['grayscale of a 2-channel image', () => T.rgbToGrayscale(two()), ShapeError, /^rgbToGrayscale: expected an image with 1 or 3 channels, got 2/],
  ['2-D input', () => T.adjustBrightness(tensor([[0.5]]), 1), ShapeError, /^adjustBrightness: expected an image tensor \[\.\.\., C, H, W\], got shape \[1, 1\]/],
  ['integer image', () => T.adjustBrightness(tensor([[[1]]], { dtype: 'int32' }), 1), DTypeError, /^adjustBrightness: expected a float32 or float64 image in \[0, 1\], got dtype int32/],
  ['negative brightness', () => T.adjustBrightness(rgb(), -0.1), ValueError, /^adjustBrightness: brightnessFactor must be a finite non-negative number, got -0\.1/],
  ['negative contrast', () => T.adjustContrast(rgb(), -1), ValueError, /^adjustContrast: contrastFactor must be a finite non-negative number, got -1/],
  ['NaN saturation', () => T.adjustSaturation(rgb(), NaN), ValueError, /^adjustSaturation: saturationFactor must be .* got NaN/],
  ['hue above 0.5', () => T.adjustHue(rgb(), 0.6), ValueError, /^adjustHue: hueFactor must be in \[-0\.5, 0\.5\], got 0\.6/],
  ['hue below -0.5', () => T.adjustHue(rgb(), -0.51), ValueError, /^adjustHue: hueFactor must be in \[-0\.5, 0\.5\], got -0\.51/],
  ['grayscale to 2 channels', () => T.rgbToGrayscale(rgb(), 2 as 1), ValueError, /^rgbToGrayscale: numOutputChannels must be 1 or 3, got 2/],
  ['grayscale transform to 4 channels', () => T.grayscale({ numOutputChannels: 4 as 1 }), ValueError, /^grayscale: numOutputChannels must be 1 or 3, got 4/],
  ['randomGrayscale p 2', () => T.randomGrayscale({ p: 2 }), ValueError, /^randomGrayscale: p must be in \[0, 1\], got 2/],
  ['jitter negative brightness', () => T.colorJitter({ brightness: -0.2 }), ValueError, /^colorJitter: brightness must be non-negative when a single number, got -0\.2/],
  ['jitter hue 0.6', () => T.colorJitter({ hue: 0.6 }), ValueError, /^colorJitter: hue range must satisfy -0\.5 <= min <= max <= 0\.5, got \[-0\.6, 0\.6\]/],
  ['jitter reversed contrast range', () => T.colorJitter({ contrast: [1.5, 0.5] }), ValueError, /^colorJitter: contrast range must satisfy 0 <= min <= max <= Infinity, got \[1\.5, 0\.5\]/],
  ['jitter negative saturation range', () => T.colorJitter({ saturation: [-1, 1] }), ValueError, /^colorJitter: saturation range must satisfy 0 <= min/],
  ['jitter range of three', () => T.colorJitter({ brightness: [1, 2, 3] as unknown as [number, number] }), ValueError, /^colorJitter: brightness must be a number or a \[min, max\] pair, got \[1,2,3\]/],
  ['jitter on a 2-channel image', () => T.colorJitter({ brightness: 0.5 })(two()), ShapeError, /^colorJitter: expected an image with 1 or 3 channels, got 2/],
  ['pad negative', () => T.pad(-1), ValueError, /^pad: padding must be a non-negative integer or an array of 2 or 4 of them, got -1/],
  ['pad three values', () => T.pad([1, 2, 3]), ValueError, /^pad: padding must be .* got \[1,2,3\]/],
  ['pad unknown mode', () => T.pad(1, { mode: 'symmetric' as 'reflect' }), ValueError, /^pad: mode must be 'constant', 'reflect' or 'replicate', got "symmetric"/],
  ['pad reflect too wide', () => T.pad([3, 0], { mode: 'reflect' })(tensor([[[1, 2, 3]]])), ValueError, /^pad: reflect padding \[3, 0, 3, 0\] must be smaller than the image's width 3 and height 1/],
  ['pad a 2-D tensor', () => T.pad(1)(tensor([[1, 2]])), ShapeError, /^pad: expected an image tensor \[\.\.\., C, H, W\], got shape \[1, 2\]/],
]);
