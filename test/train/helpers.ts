/**
 * Shared fixtures of the training tests: a small synthetic 3-class problem, a small MLP with dropout, and a
 * bit-for-bit comparison of state dicts.
 */
import assert from 'node:assert/strict';
import { DataLoader, Generator, Tensor, TensorDataset, argmax, manualSeed, matmul, nn, optim, randn } from '../../src/index.js';

/** `n` samples of 4 features and labels argmax(x · W) for a fixed random W (3 classes), from `seed`. */
export function blobs(n: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const w = randn([4, 3], { generator: new Generator(1234) });
  const x = randn([n, 4], { generator: g });
  return { x, y: argmax(matmul(x, w), 1).int() };
}

/** 4 → 16 → 3 with ReLU and dropout (so the default generator matters during training). */
export class MLP extends nn.Module {
  l1 = new nn.Linear(4, 16);
  act = new nn.ReLU();
  drop = new nn.Dropout(0.2);
  l2 = new nn.Linear(16, 3);

  forward(x: Tensor): Tensor {
    return this.l2.forward(this.drop.forward(this.act.forward(this.l1.forward(x))));
  }
}

/** A shuffled training loader (own generator, seeded `shuffleSeed`) and a validation loader. */
export function loaders(shuffleSeed = 7, n = 240, batchSize = 16): { train: DataLoader<Tensor[]>; val: DataLoader<Tensor[]>; gen: Generator } {
  const tr = blobs(n, 1);
  const va = blobs(90, 2);
  const gen = new Generator(shuffleSeed);
  return {
    train: new DataLoader(new TensorDataset(tr.x, tr.y), { batchSize, shuffle: true, generator: gen }),
    val: new DataLoader(new TensorDataset(va.x, va.y), { batchSize: 32 }),
    gen,
  };
}

/** The raw bytes of every tensor of a state dict. */
export function bits(sd: Record<string, Tensor>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(sd).map(([k, t]) => {
    const a = t.toTypedArray();
    return [k, Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))];
  }));
}

/** Asserts that two state dicts hold bit-identical tensors. */
export function assertSameBits(a: Record<string, Tensor>, b: Record<string, Tensor>, msg = ''): void {
  assert.deepEqual(bits(a), bits(b), msg);
}

/** Whether two state dicts differ anywhere. */
export function differ(a: Record<string, Tensor>, b: Record<string, Tensor>): boolean {
  return JSON.stringify(bits(a)) !== JSON.stringify(bits(b));
}

/** Everything a resumable run is built from, made the same way by the in-process test and the child process. */
export interface RunSetup {
  model: MLP;
  train: DataLoader<Tensor[]>;
  val: DataLoader<Tensor[]>;
  gen: Generator;
  optimizer: optim.Adam;
  scheduler: optim.StepLR;
}

/**
 * Seeds the default generator with `seed`, builds the MLP (its init draws from it), the loaders (shuffled by
 * their own generator seeded `shuffleSeed`), Adam and a StepLR schedule.
 */
export function setupRun(seed: number, shuffleSeed: number): RunSetup {
  manualSeed(seed);
  const model = new MLP();
  const { train, val, gen } = loaders(shuffleSeed);
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new optim.StepLR(optimizer, 1, { gamma: 0.8 });
  return { model, train, val, gen, optimizer, scheduler };
}
