import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Generator, ShapeError, TensorDataset, ValueError, interpolate, manualSeed, resizeAntialiased, tensor, transforms as T, type Dataset, type Tensor } from '../../src/index.js';

/** Golden values written by tools/make_data_fixtures.py (torchvision's algorithms run on PyTorch). */
const fixtures = JSON.parse(readFileSync(new URL('../../../test/fixtures/data/transforms.json', import.meta.url), 'utf8')) as {
  centerCrop: { imageShape: number[]; size: [number, number]; out: number[] }[];
  affine: { imageShape: number[]; angle: number; translate: [number, number]; scale: number; interpolation: 'nearest' | 'bilinear'; fill: number; out: number[] }[];
  resize: { imageShape: number[]; size: [number, number]; out: number[] }[];
};

/** A CHW float64 image holding 1, 2, 3, ... (row-major), as the fixtures' images. */
function ramp(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float64Array.from({ length: n }, (_, i) => i + 1), { shape });
}

const vals = (x: Tensor) => Array.from(x.toTypedArray());

/** A stand-in generator whose random() returns the given values in turn. */
function scripted(...values: number[]): Generator {
  let i = 0;
  return {
    random: () => {
      if (i >= values.length) throw new Error('scripted generator ran out of values');
      return values[i++];
    },
  } as unknown as Generator;
}

function assertClose(got: number[], want: number[], tol: number, msg = '') {
  assert.equal(got.length, want.length, `${msg}: length`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= tol, `${msg}: element ${i}: got ${g}, want ${want[i]}`));
}

test('toTensor: HW grayscale and HWC RGB bytes to CHW float32 in [0, 1], as ToTensor', () => {
  const g = T.toTensor(Uint8Array.from([0, 255, 128, 64, 1, 2]), 2, 3);
  assert.deepEqual(g.shape, [1, 2, 3]);
  assert.equal(g.dtype, 'float32');
  assert.deepEqual(vals(g), [0, 255, 128, 64, 1, 2].map((v) => Math.fround(v / 255)));
  // 2x2 RGB, HWC: pixel (0,0) = (10, 20, 30), (0,1) = (40, 50, 60), (1,0) = (70, 80, 90), (1,1) = (100, 110, 120)
  const rgb = T.toTensor([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], 2, 2, 3);
  assert.deepEqual(rgb.shape, [3, 2, 2]);
  assert.deepEqual(vals(rgb), [10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120].map((v) => Math.fround(v / 255)));
  assert.throws(() => T.toTensor(new Uint8Array(11), 2, 2, 3), (e: Error) => e instanceof ShapeError && /11 values do not make a 2x2 image with 3 channel/.test(e.message));
  assert.throws(() => T.toTensor(new Uint8Array(0), 0, 0), ValueError);
  assert.throws(() => T.toTensor(new Uint8Array(4), 2, 2, 1.5), ValueError);
});

test('normalize: (x - mean) / std per channel; float64 stays float64', () => {
  const x = tensor([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]);
  const y = T.normalize([1, 4], [2, 0.5])(x);
  assert.deepEqual(y.shape, [2, 2, 2]);
  assert.equal(y.dtype, 'float32');
  assertClose(vals(y), [-0.5, 0, 0.5, 1, 0, 2, 4, 6], 1e-6, 'normalize');
  const x64 = tensor(Float64Array.from([0.1, 0.2, 0.3]), { shape: [1, 1, 3] });
  const y64 = T.normalize([0.1307], [0.3081])(x64);
  assert.equal(y64.dtype, 'float64');
  assert.deepEqual(vals(y64), [0.1, 0.2, 0.3].map((v) => (v - 0.1307) / 0.3081));
  assert.deepEqual(vals(x), [0, 1, 2, 3, 4, 5, 6, 7], 'the input is not modified');
  assert.throws(() => T.normalize([0.5], [0.5])(x), (e: Error) => e instanceof ShapeError && /1 means given for an image with 2 channels/.test(e.message));
  assert.throws(() => T.normalize([0.5, 0.5], [0.5])(x), ValueError);
  assert.throws(() => T.normalize([], []), ValueError);
  assert.throws(() => T.normalize([0], [0]), (e: Error) => e instanceof ValueError && /std values must be positive/.test(e.message));
  assert.throws(() => T.normalize([0], [-1]), ValueError);
  assert.throws(() => T.normalize([0], [1])(tensor([[1, 2]])), (e: Error) => e instanceof ShapeError && /normalize: expected a CHW image tensor, got shape \[1, 2\]/.test(e.message));
});

test('flips give the exact mirror images at p = 1 and the input at p = 0', () => {
  const x = ramp([2, 2, 3]); // channel 0: [[1,2,3],[4,5,6]], channel 1: [[7,8,9],[10,11,12]]
  assert.deepEqual(vals(T.randomHorizontalFlip({ p: 1 })(x)), [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
  assert.deepEqual(vals(T.randomVerticalFlip({ p: 1 })(x)), [4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
  assert.equal(T.randomHorizontalFlip({ p: 1 })(x).dtype, 'float64');
  assert.deepEqual(vals(T.randomHorizontalFlip({ p: 0 })(x)), vals(x));
  assert.deepEqual(vals(T.randomVerticalFlip({ p: 0 })(x)), vals(x));
  assert.throws(() => T.randomHorizontalFlip({ p: 1.5 }), (e: Error) => e instanceof ValueError && /p must be in \[0, 1\]/.test(e.message));
  assert.throws(() => T.randomVerticalFlip({ p: -0.1 }), ValueError);
  assert.throws(() => T.randomHorizontalFlip({ p: 1 })(tensor([1, 2])), ShapeError);
});

test('flips happen with probability p (6 sigma)', () => {
  const x = ramp([1, 1, 2]);
  const N = 4000;
  for (const p of [0.5, 0.2]) {
    const flip = T.randomHorizontalFlip({ p, generator: new Generator(17) });
    let n = 0;
    for (let i = 0; i < N; i++) if (flip(x).toTypedArray()[0] === 2) n++;
    assert.ok(Math.abs(n - N * p) < 6 * Math.sqrt(N * p * (1 - p)), `p=${p}: ${n} flips of ${N}`);
  }
});

test('centerCrop matches torchvision (offset int(round((H - h) / 2)), ties to even; padding when larger)', () => {
  assert.ok(fixtures.centerCrop.length >= 60);
  for (const c of fixtures.centerCrop) {
    const out = T.centerCrop(c.size)(ramp(c.imageShape));
    assert.deepEqual(out.shape, [c.imageShape[0], ...c.size]);
    assert.deepEqual(vals(out), c.out, `image ${c.imageShape} crop ${c.size}`);
  }
  // The tie cases spelled out: 3 -> 2 starts at round(0.5) = 0, 6 -> 1 at round(2.5) = 2, 5 -> 2 at round(1.5) = 2.
  assert.deepEqual(vals(T.centerCrop(2)(ramp([1, 3, 3]))), [1, 2, 4, 5]);
  assert.deepEqual(vals(T.centerCrop(1)(ramp([1, 6, 6]))), [15]);
  assert.deepEqual(vals(T.centerCrop(2)(ramp([1, 5, 5]))), [13, 14, 18, 19]);
  assert.throws(() => T.centerCrop(0), ValueError);
  assert.throws(() => T.centerCrop([2, 1.5]), ValueError);
  assert.throws(() => T.centerCrop(2)(ramp([4, 4])), (e: Error) => e instanceof ShapeError && /centerCrop/.test(e.message));
});

/** The window of `x` (CHW, zero-padded by `pad` with `fill`) at (top, left), as a flat array. */
function window(x: Tensor, pad: number, fill: number, top: number, left: number, h: number, w: number): number[] {
  const [C, H, W] = x.shape;
  const d = x.toTypedArray();
  const out: number[] = [];
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < h; y++) {
      for (let z = 0; z < w; z++) {
        const sy = top + y - pad;
        const sx = left + z - pad;
        out.push(sy >= 0 && sy < H && sx >= 0 && sx < W ? d[(c * H + sy) * W + sx] : fill);
      }
    }
  }
  return out;
}

test('randomCrop with padding: always a window of the padded image, every position reachable', () => {
  const x = ramp([2, 3, 4]);
  const crop = T.randomCrop([3, 2], { padding: 1, fill: -1, generator: new Generator(21) });
  const seen = new Set<string>();
  for (let k = 0; k < 400; k++) {
    const out = crop(x);
    assert.deepEqual(out.shape, [2, 3, 2]);
    const got = vals(out);
    let where: string | null = null;
    for (let top = 0; top <= 5 - 3 && !where; top++) {
      for (let left = 0; left <= 6 - 2 && !where; left++) {
        if (window(x, 1, -1, top, left, 3, 2).every((v, i) => v === got[i])) where = `${top},${left}`;
      }
    }
    assert.ok(where, `crop ${got} is not a window of the padded image`);
    seen.add(where);
  }
  assert.equal(seen.size, 3 * 5, 'all 15 positions of a 3x2 window in the 5x6 padded image');
  // Without padding and with the full size, the crop is the image.
  assert.deepEqual(vals(T.randomCrop([3, 4])(x)), vals(x));
  assert.throws(() => T.randomCrop(4)(x), (e: Error) => e instanceof ShapeError && /crop 4x4 is larger than the padded image 3x4/.test(e.message));
  assert.throws(() => T.randomCrop(2, { padding: -1 }), ValueError);
  assert.throws(() => T.randomCrop(2, { padding: 0.5 }), ValueError);
});

test('randomAffine / randomRotation match torchvision affine on fixed parameters', () => {
  for (const c of fixtures.affine) {
    const [, H, W] = c.imageShape;
    // translate fraction 1 with u = (t / size + 1) / 2 draws exactly the shift t; degrees and scale are fixed ranges.
    const u = (t: number, size: number) => (t / size + 1) / 2;
    const g = scripted(0.5, u(c.translate[0], W), u(c.translate[1], H), 0.5);
    const tf = T.randomAffine({ degrees: [c.angle, c.angle], translate: [1, 1], scale: [c.scale, c.scale], interpolation: c.interpolation, fill: c.fill, generator: g });
    const out = tf(ramp(c.imageShape));
    assert.deepEqual(out.shape, c.imageShape);
    const label = `angle ${c.angle} translate ${c.translate} scale ${c.scale} ${c.interpolation} fill ${c.fill}`;
    if (c.interpolation === 'nearest') assert.deepEqual(vals(out), c.out, label);
    else assertClose(vals(out), c.out, 1e-9, label);
    if (c.translate[0] === 0 && c.translate[1] === 0 && c.scale === 1) {
      const rot = T.randomRotation([c.angle, c.angle], { interpolation: c.interpolation, fill: c.fill, generator: scripted(0.3) })(ramp(c.imageShape));
      assertClose(vals(rot), c.out, c.interpolation === 'nearest' ? 0 : 1e-9, `randomRotation ${label}`);
    }
  }
});

/** torch.rot90(x, k, [1, 2]) for a square CHW image: k = 1 turns counter-clockwise. */
function rot90(x: Tensor, k: number): number[] {
  const [C, H, W] = x.shape;
  let d = vals(x);
  for (let r = 0; r < ((k % 4) + 4) % 4; r++) {
    const o = new Array<number>(d.length);
    for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let z = 0; z < W; z++) o[(c * H + y) * W + z] = d[(c * H + z) * W + (W - 1 - y)];
    d = o;
  }
  return d;
}

test('a 90 degree rotation of a square image is exactly rot90 (transpose + flip); positive is counter-clockwise', () => {
  for (const n of [4, 5]) {
    const x = ramp([2, n, n]);
    for (const [deg, k] of [[90, 1], [-90, 3], [180, 2], [270, 3], [0, 0]] as const) {
      const nearest = T.randomRotation([deg, deg], { interpolation: 'nearest' })(x);
      assert.deepEqual(vals(nearest), rot90(x, k), `${n}x${n} nearest ${deg}`);
      assertClose(vals(T.randomRotation([deg, deg], { interpolation: 'bilinear' })(x)), rot90(x, k), 1e-9, `${n}x${n} bilinear ${deg}`);
      // warpAffine directly with the inverse of a counter-clockwise turn
      const t = (deg * Math.PI) / 180;
      const c = Math.round(Math.cos(t));
      const s = Math.round(Math.sin(t));
      assert.deepEqual(vals(T.warpAffine(x, [c, -s, 0, s, c, 0], { mode: 'nearest' })), rot90(x, k), `warpAffine ${deg}`);
    }
  }
  // Counter-clockwise: the top-middle pixel of a 3x3 image goes to the left-middle.
  const dot = tensor(Float64Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0]), { shape: [1, 3, 3] });
  assert.deepEqual(vals(T.randomRotation([90, 90])(dot)), [0, 0, 0, 1, 0, 0, 0, 0, 0]);
});

test('randomAffine translation moves the content by the drawn whole pixels; every shift in range occurs', () => {
  const x = ramp([1, 5, 6]);
  const [H, W] = [5, 6];
  const t: [number, number] = [0.5, 0.4]; // shifts up to round(3) and round(2) pixels
  const g = new Generator(31);
  const twin = new Generator(31);
  const tf = T.randomAffine({ translate: t, generator: g });
  const seen = new Set<string>();
  for (let k = 0; k < 300; k++) {
    const out = vals(tf(x));
    twin.random(); // the angle draw (degrees 0)
    const dx = Math.round((2 * twin.random() - 1) * t[0] * W);
    const dy = Math.round((2 * twin.random() - 1) * t[1] * H);
    assert.ok(Math.abs(dx) <= 3 && Math.abs(dy) <= 2);
    const want: number[] = [];
    for (let y = 0; y < H; y++) for (let z = 0; z < W; z++) want.push(y - dy >= 0 && y - dy < H && z - dx >= 0 && z - dx < W ? (y - dy) * W + (z - dx) + 1 : 0);
    assert.deepEqual(out, want, `shift (${dx}, ${dy})`);
    seen.add(`${dx},${dy}`);
  }
  assert.equal(seen.size, 7 * 5, 'every shift in [-3, 3] x [-2, 2]');
});

test('randomAffine scale: the centre stays, content grows or shrinks about it', () => {
  const x = ramp([1, 5, 5]);
  const zoom = T.randomAffine({ scale: [3, 3] })(x);
  // scale 3 about the centre (2, 2): output pixels within 1 of the centre sample the centre pixel (13).
  const o = vals(zoom);
  for (const [y, z] of [[1, 1], [1, 2], [2, 2], [3, 3], [2, 3]]) assert.equal(o[y * 5 + z], 13);
  assert.equal(o[0], 7, 'the corner (-2, -2) / 3 -> (-0.67, -0.67) -> pixel (1, 1) = 7');
  const shrink = vals(T.randomAffine({ scale: [0.5, 0.5] })(x));
  assert.equal(shrink[12], 13);
  assert.equal(shrink[0], 0, 'the corner maps to (-4, -4) from the centre: outside, filled with 0');
  assert.equal(shrink[6], 1, 'pixel (1, 1) samples the corner (0, 0)');
});

test('randomAffine and randomRotation refuse bad arguments and wrong ranks', () => {
  assert.throws(() => T.randomAffine({ degrees: -5 }), (e: Error) => e instanceof ValueError && /degrees must be >= 0/.test(e.message));
  assert.throws(() => T.randomRotation(-5), ValueError);
  assert.throws(() => T.randomAffine({ degrees: [10, 5] }), (e: Error) => e instanceof ValueError && /lo <= hi/.test(e.message));
  assert.throws(() => T.randomAffine({ translate: [1.5, 0] }), (e: Error) => e instanceof ValueError && /translate/.test(e.message));
  assert.throws(() => T.randomAffine({ translate: [0.1] as unknown as [number, number] }), ValueError);
  assert.throws(() => T.randomAffine({ scale: [0, 1] }), (e: Error) => e instanceof ValueError && /scale/.test(e.message));
  assert.throws(() => T.randomAffine({ scale: [2, 1] }), ValueError);
  assert.throws(() => T.randomAffine({ interpolation: 'bicubic' as 'nearest' }), (e: Error) => e instanceof ValueError && /interpolation/.test(e.message));
  assert.throws(() => T.randomRotation(10)(ramp([3, 3])), (e: Error) => e instanceof ShapeError && /randomAffine: expected a CHW image tensor/.test(e.message));
  assert.throws(() => T.warpAffine(ramp([1, 1, 3, 3]), [1, 0, 0, 0, 1, 0]), ShapeError);
});

test('randomResizedCrop: output size, and the output is the bilinear resize of a window of the image', () => {
  // Whole image (scale 1, ratio W/H) resized: torch.nn.functional.interpolate, bilinear, align_corners=False.
  for (const c of fixtures.resize) {
    const [, H, W] = c.imageShape;
    const out = T.randomResizedCrop(c.size, { scale: [1, 1], ratio: [W / H, W / H], generator: new Generator(0) })(ramp(c.imageShape));
    assert.deepEqual(out.shape, [c.imageShape[0], ...c.size]);
    assertClose(vals(out), c.out, 1e-9, `resize ${c.imageShape} to ${c.size}`);
  }
  // Random windows: upsampling to 16x16 puts the window's corner pixels at the output's corners exactly, which
  // locates the window; the whole output must then be that window resized.
  const H = 10;
  const W = 12;
  const x = ramp([1, H, W]);
  const tf = T.randomResizedCrop(16, { scale: [0.2, 0.6], ratio: [0.5, 2], generator: new Generator(5) });
  const tops = new Set<number>();
  for (let k = 0; k < 100; k++) {
    const out = tf(x);
    assert.deepEqual(out.shape, [1, 16, 16]);
    const o = vals(out);
    const first = o[0] - 1;
    const last = o[o.length - 1] - 1;
    const [top, left] = [Math.floor(first / W), first % W];
    const [h, w] = [Math.floor(last / W) - top + 1, (last % W) - left + 1];
    assert.ok(h >= 1 && w >= 1 && top + h <= H && left + w <= W);
    const area = h * w;
    const slack = 0.5 * (h + w + 1) + 0.25;
    assert.ok(area >= 0.2 * H * W - slack && area <= 0.6 * H * W + slack, `window ${h}x${w}`);
    assert.ok((w + 0.5) / (h - 0.5) >= 0.5 && (w - 0.5) / (h + 0.5) <= 2, `aspect of ${h}x${w}`);
    const win = tensor(Float64Array.from(window(x, 0, 0, top, left, h, w)), { shape: [1, 1, h, w] });
    assertClose(o, vals(interpolate(win, { size: [16, 16], mode: 'bilinear', alignCorners: false })), 1e-9, `window ${top},${left} ${h}x${w}`);
    tops.add(top);
  }
  assert.ok(tops.size > 3, 'windows are placed at random');
  // No valid window in 10 tries (ratio 2..3 cannot fit a square image at scale 1): torchvision's fallback, a
  // central crop with the ratio clamped: w = 8, h = round(8 / 2) = 4, top = (8 - 4) // 2 = 2.
  const sq = ramp([1, 8, 8]);
  const fb = T.randomResizedCrop([4, 8], { scale: [1, 1], ratio: [2, 3], generator: new Generator(0) })(sq);
  assert.deepEqual(vals(fb), Array.from({ length: 32 }, (_, i) => 17 + i));
  assert.throws(() => T.randomResizedCrop(0), ValueError);
  assert.throws(() => T.randomResizedCrop(4, { scale: [0.5, 0.2] }), (e: Error) => e instanceof ValueError && /scale/.test(e.message));
  assert.throws(() => T.randomResizedCrop(4, { ratio: [0, 1] }), (e: Error) => e instanceof ValueError && /ratio/.test(e.message));
  assert.throws(() => T.randomResizedCrop(4)(ramp([8, 8])), ShapeError);
});

test('gaussianNoise adds N(mean, std^2) noise (6 sigma bounds on the sample mean and std)', () => {
  const n = 100 * 100;
  const x = tensor(new Float32Array(n), { shape: [1, 100, 100] });
  const y = vals(T.gaussianNoise({ mean: 0.5, std: 2, generator: new Generator(2) })(x));
  const m = y.reduce((a, b) => a + b, 0) / n;
  const s = Math.sqrt(y.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
  assert.ok(Math.abs(m - 0.5) < (6 * 2) / Math.sqrt(n), `mean ${m}`);
  assert.ok(Math.abs(s - 2) < (6 * 2) / Math.sqrt(2 * n), `std ${s}`);
  const base = ramp([1, 2, 2]);
  assert.deepEqual(vals(T.gaussianNoise({ std: 0, generator: new Generator(1) })(base)), vals(base));
  assert.throws(() => T.gaussianNoise({ std: -1 }), ValueError);
  assert.throws(() => T.gaussianNoise({ mean: NaN }), ValueError);
  assert.throws(() => T.gaussianNoise()(tensor([1, 2])), ShapeError);
});

test('randomErasing at p = 1 erases one rectangle within the scale and ratio bounds, the same in every channel', () => {
  const [C, H, W] = [3, 20, 30];
  const x = tensor(new Float32Array(C * H * W).fill(1), { shape: [C, H, W] });
  const tf = T.randomErasing({ p: 1, value: -2, generator: new Generator(9) });
  for (let k = 0; k < 200; k++) {
    const o = vals(tf(x));
    let [y0, y1, x0, x1, count] = [H, -1, W, -1, 0];
    for (let i = 0; i < H * W; i++) {
      if (o[i] === -2) {
        const y = Math.floor(i / W);
        const z = i % W;
        [y0, y1, x0, x1] = [Math.min(y0, y), Math.max(y1, y), Math.min(x0, z), Math.max(x1, z)];
        count++;
      } else assert.equal(o[i], 1);
    }
    const [h, w] = [y1 - y0 + 1, x1 - x0 + 1];
    assert.ok(count > 0 && count === h * w, 'one filled rectangle');
    for (let c = 1; c < C; c++) assert.deepEqual(o.slice(c * H * W, (c + 1) * H * W), o.slice(0, H * W));
    assert.ok(h < H && w < W);
    const slack = 0.5 * (h + w + 1) + 0.25;
    assert.ok(h * w >= 0.02 * H * W - slack && h * w <= 0.33 * H * W + slack, `area ${h}x${w}`);
    assert.ok((h + 0.5) / (w - 0.5) >= 0.3 && (h - 0.5) / (w + 0.5) <= 3.3, `aspect ${h}x${w}`);
  }
  assert.deepEqual(vals(x), new Array(C * H * W).fill(1), 'the input is not modified');
  const id = T.randomErasing({ p: 0 });
  assert.equal(id(x), x);
  const e = T.randomErasing({ p: 1, scale: [0.25, 0.25], ratio: [1, 1], generator: new Generator(3) })(ramp([1, 4, 4]));
  assert.equal(vals(e).filter((v) => v === 0).length, 4, 'a 2x2 square: area 0.25 of 4x4 at ratio 1');
  assert.throws(() => T.randomErasing({ p: 2 }), ValueError);
  assert.throws(() => T.randomErasing({ scale: [0.5, 0.1] }), (e: Error) => e instanceof ValueError && /scale/.test(e.message));
  assert.throws(() => T.randomErasing({ scale: [0.1, 1.5] }), ValueError);
  assert.throws(() => T.randomErasing({ ratio: [0, 1] }), (e: Error) => e instanceof ValueError && /ratio/.test(e.message));
  assert.throws(() => T.randomErasing({ p: 1 })(tensor([1, 2])), ShapeError);
});

test('compose applies left to right', () => {
  const calls: string[] = [];
  const tag = (name: string): T.Transform => (t) => { calls.push(name); return t; };
  const x = ramp([1, 3, 3]);
  assert.equal(T.compose(tag('a'), tag('b'), tag('c'))(x), x);
  assert.deepEqual(calls, ['a', 'b', 'c']);
  const flipThenCrop = T.compose(T.randomHorizontalFlip({ p: 1 }), T.centerCrop([3, 2]))(ramp([1, 3, 4]));
  const cropThenFlip = T.compose(T.centerCrop([3, 2]), T.randomHorizontalFlip({ p: 1 }))(ramp([1, 3, 4]));
  assert.deepEqual(vals(flipThenCrop), [3, 2, 7, 6, 11, 10]);
  assert.deepEqual(vals(cropThenFlip), [3, 2, 7, 6, 11, 10]);
  const normThenFlip = T.compose(T.normalize([1], [2]), T.randomVerticalFlip({ p: 1 }))(ramp([1, 2, 1]));
  assert.deepEqual(vals(normThenFlip), [0.5, 0]);
  assert.deepEqual(vals(T.compose()(x)), vals(x));
  assert.throws(() => T.compose(tag('a'), 3 as unknown as T.Transform), (e: Error) => e instanceof ValueError && /transform 1 is not a function/.test(e.message));
});

test('every random transform is reproducible under manualSeed and with its own Generator', () => {
  const makers: [string, (g?: Generator) => T.Transform][] = [
    ['randomHorizontalFlip', (g) => T.randomHorizontalFlip({ generator: g })],
    ['randomVerticalFlip', (g) => T.randomVerticalFlip({ generator: g })],
    ['randomRotation', (g) => T.randomRotation(30, { generator: g, interpolation: 'bilinear' })],
    ['randomAffine', (g) => T.randomAffine({ degrees: 15, translate: [0.2, 0.2], scale: [0.8, 1.2], generator: g })],
    ['randomCrop', (g) => T.randomCrop(5, { padding: 2, generator: g })],
    ['randomResizedCrop', (g) => T.randomResizedCrop(4, { generator: g })],
    ['gaussianNoise', (g) => T.gaussianNoise({ generator: g })],
    ['randomErasing', (g) => T.randomErasing({ generator: g })],
  ];
  const x = ramp([2, 6, 7]);
  const run = (tf: T.Transform) => Array.from({ length: 8 }, () => vals(tf(x)));
  for (const [name, make] of makers) {
    manualSeed(2024);
    const a = run(make());
    manualSeed(2024);
    assert.deepEqual(run(make()), a, `${name} under manualSeed`);
    manualSeed(1);
    const b = run(make(new Generator(77)));
    manualSeed(2);
    assert.deepEqual(run(make(new Generator(77))), b, `${name} with a Generator`);
    const outputs = new Set(a.map((v) => v.join(',')));
    assert.ok(outputs.size > 1, `${name} varies from call to call`);
  }
});

test('computeMeanStd gives per-channel mean and (population) std over all pixels', () => {
  const imgs = [
    tensor(Float64Array.from([0, 1, 2, 3, 2, 2, 2, 2]), { shape: [2, 2, 2] }),
    tensor(Float64Array.from([4, 5, 6, 7, 2, 2, 2, 2]), { shape: [2, 2, 2] }),
  ];
  const ds: Dataset<Tensor> = { length: 2, get: (i) => imgs[i] };
  const r = T.computeMeanStd(ds);
  assertClose(r.mean, [3.5, 2], 1e-12, 'mean');
  assertClose(r.std, [Math.sqrt(5.25), 0], 1e-12, 'std');
  // Items [image, label] as TensorDataset gives them.
  const td = new TensorDataset(tensor([[[[0, 10]]], [[[20, 30]]]]), tensor([0, 1]));
  const r2 = T.computeMeanStd(td);
  assertClose(r2.mean, [15], 1e-6, 'mean of a TensorDataset');
  assertClose(r2.std, [Math.sqrt(125)], 1e-5, 'std of a TensorDataset');
  assert.throws(() => T.computeMeanStd({ length: 0, get: () => imgs[0] }), (e: Error) => e instanceof ValueError && /empty/.test(e.message));
  assert.throws(() => T.computeMeanStd({ length: 1, get: () => [3] }), (e: Error) => e instanceof ValueError && /item 0 is not an image tensor/.test(e.message));
  assert.throws(() => T.computeMeanStd({ length: 2, get: (i) => (i === 0 ? imgs[0] : ramp([3, 2, 2])) }), (e: Error) => e instanceof ShapeError && /item 1 has 3 channels, earlier items 2/.test(e.message));
  assert.throws(() => T.computeMeanStd({ length: 1, get: () => ramp([2, 2]) }), ShapeError);
});

test('resize: antialiased by default (torchvision Resize antialias=True), plain bilinear on request', () => {
  const x = ramp([2, 12, 9]);
  const aa = T.resize([4, 3])(x);
  assertClose(vals(aa), vals(resizeAntialiased(x, [4, 3])), 1e-12, 'antialiased');
  const plain = T.resize([4, 3], { antialias: false })(x);
  assertClose(vals(plain), vals(interpolate(x.reshape([1, 2, 12, 9]), { size: [4, 3], mode: 'bilinear', alignCorners: false })), 1e-12, 'plain');
  assert.throws(() => T.resize(0), ValueError);
  assert.throws(() => T.resize(4)(ramp([8, 8])), ShapeError);
});
