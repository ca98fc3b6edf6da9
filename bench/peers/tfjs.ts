/**
 * The peer workloads on TensorFlow.js 4.22 (`cpu` and `wasm` backends, no tfjs-node): the same models built
 * with tf.layers, trained with tf.train optimizers through `optimizer.minimize`, every step inside tf.tidy.
 * The LSTM's gates use the logistic sigmoid, as PyTorch's do (Keras' default would be the hard sigmoid).
 * ResNet-20 is a functional tf.layers model in NHWC whose option A shortcut is a small custom layer.
 * TensorFlow.js is loaded at run time from bench/.peers (see install.ts), so it is not a dependency of the project
 * and its types are not checked here.
 * @module
 */
import type { RunnerSpec } from '../runners.js';
import { peerUrl } from './install.js';
import { MNIST_PIXELS, mnistBatch } from '../workloads/mnist.js';
import { syntheticBatch } from '../workloads/synthetic.js';
import { textBatch } from '../workloads/text.js';
import {
  ADAM_LR, CIFAR_SHAPE, EMBED_DIM, GEMM_N, HIDDEN, MLP_SGD, MLP_SIZES, MNIST_BATCH, RESNET_BATCH, RESNET_CLASSES, RESNET_SGD, SEQ_LEN, TEXT_BATCH, VOCAB, CHARLM,
  type PreparedWorkload, type WorkloadData, type WorkloadName,
} from '../workloads/spec.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
// The peer's module objects, loaded by prepareTfjs.
let tf: any;
let tfWasm: any;
// eslint-disable-next-line @typescript-eslint/no-namespace
declare namespace tf {
  type Tensor = any;
  type Scalar = any;
  type Sequential = any;
  type Optimizer = any;
}

async function loadPeer(): Promise<void> {
  const core = peerUrl('@tensorflow/tfjs');
  const wasm = peerUrl('@tensorflow/tfjs-backend-wasm');
  if (core === null || wasm === null) throw new Error('TensorFlow.js is not installed in bench/.peers (npm run bench installs it)');
  tf = await import(core);
  tfWasm = await import(wasm);
}

/** Selects the backend (asking wasm for the runner's threads first); returns a note on what was used. */
async function selectBackend(r: RunnerSpec): Promise<string | undefined> {
  if (r.backend === 'wasm' && r.threads !== undefined) tfWasm.setThreadsCount(r.threads);
  if (!(await tf.setBackend(r.backend))) throw new Error(`tf.setBackend('${r.backend}') failed`);
  await tf.ready();
  if (r.backend !== 'wasm') return undefined;
  const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `threads=${tfWasm.getThreadsCount()} (asked ${r.threads ?? 1}; multithread support ${mt}), simd ${simd}`;
}

/** One optimizer step per call on batch k = 0, 1, 2, ...; returns the loss, read back. */
function trainStep(
  model: tf.Sequential, opt: tf.Optimizer, classes: number, batch: (k: number) => [tf.Tensor, tf.Tensor],
): () => number {
  let k = 0;
  return () => {
    const loss = tf.tidy(() => {
      const [x, y] = batch(k++);
      return opt.minimize(() => {
        const logits = model.apply(x, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(tf.oneHot(y, classes), logits.reshape([-1, classes])) as tf.Scalar;
      }, true)!;
    });
    const v = loss.dataSync()[0];
    loss.dispose();
    return v;
  };
}

function mnistBatches(data: WorkloadData, shape: number[]): (k: number) => [tf.Tensor, tf.Tensor] {
  const set = data.mnist();
  return (k) => {
    const { x, y } = mnistBatch(set, k, MNIST_BATCH);
    return [tf.tensor(x, [MNIST_BATCH, ...shape]), tf.tensor1d(y, 'int32')];
  };
}

function gemm(): PreparedWorkload {
  const a = tf.randomNormal([GEMM_N, GEMM_N]);
  const b = tf.randomNormal([GEMM_N, GEMM_N]);
  return { step: () => tf.matMul(a, b).dispose() };
}

function mlpTrain(data: WorkloadData): PreparedWorkload {
  const [i, h1, h2, o] = MLP_SIZES;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [i], units: h1, activation: 'relu' }),
      tf.layers.dense({ units: h2, activation: 'relu' }),
      tf.layers.dense({ units: o }),
    ],
  });
  const opt = tf.train.momentum(MLP_SGD.lr, MLP_SGD.momentum);
  return { step: trainStep(model, opt, o, mnistBatches(data, [MNIST_PIXELS])) };
}

function lenet5Train(data: WorkloadData): PreparedWorkload {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  return { step: trainStep(model, tf.train.adam(ADAM_LR), 10, mnistBatches(data, [28, 28, 1])), note: 'NHWC' };
}

/** A char LM (embedding, `recurrent` layers, a dense head) trained with Adam on the shared text batches. */
function charLmWorkload(data: WorkloadData, recurrent: any[]): PreparedWorkload {
  const model = tf.sequential({
    layers: [tf.layers.embedding({ inputDim: VOCAB, outputDim: EMBED_DIM, inputLength: SEQ_LEN }), ...recurrent, tf.layers.dense({ units: VOCAB })],
  });
  const tokens = data.tokens();
  const batch = (k: number): [tf.Tensor, tf.Tensor] => {
    const { x, y } = textBatch(tokens, k, TEXT_BATCH, SEQ_LEN);
    return [tf.tensor2d(x, [TEXT_BATCH, SEQ_LEN], 'int32'), tf.tensor1d(y, 'int32')];
  };
  return { step: trainStep(model, tf.train.adam(ADAM_LR), VOCAB, batch) };
}

function lstmTrain(data: WorkloadData): PreparedWorkload {
  return charLmWorkload(data, [tf.layers.lstm({ units: HIDDEN, returnSequences: true, recurrentActivation: 'sigmoid' })]);
}

// charlm_train: tfjs's GRU has no resetAfter, so it applies the reset gate before the recurrent matmul (the
// original GRU); PyTorch's applies it after. Same sizes and the same matmuls per step.
function charlmTrain(data: WorkloadData): PreparedWorkload {
  return charLmWorkload(data, Array.from({ length: CHARLM.layers }, () => tf.layers.gru({ units: CHARLM.hidden, returnSequences: true, recurrentActivation: 'sigmoid' })));
}

/** The option A shortcut as a tf.layers layer: subsample by `stride` (a 1x1 max pool), zero-pad the extra channels. */
function zeroPadShortcut(extra: number, stride: number): any {
  class ZeroPadShortcut extends tf.layers.Layer {
    static className = 'ZeroPadShortcut';
    constructor() {
      super({});
    }
    computeOutputShape(s: number[]): number[] {
      return [s[0], Math.ceil(s[1] / stride), Math.ceil(s[2] / stride), s[3] + extra];
    }
    call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const y = stride === 1 ? x : tf.maxPool(x, 1, stride, 'valid');
        return tf.pad(y, [[0, 0], [0, 0], [0, 0], [Math.floor(extra / 2), extra - Math.floor(extra / 2)]]);
      });
    }
  }
  return new ZeroPadShortcut();
}

/**
 * CIFAR ResNet-20 as src/models/vision/cifar.ts builds it: conv-BN-ReLU stem to 16 channels, three stages of 3
 * basic blocks (16/32/64 channels, stride 2 at the start of stages 2 and 3), global average pool, dense. The
 * 'same' padding of a stride-2 conv pads 0 before and 1 after where PyTorch pads 1 and 1 (same shapes and cost).
 */
function resnet20(): any {
  const conv = (filters: number, stride: number) => tf.layers.conv2d({ filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false });
  const bn = () => tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5 });
  const relu = () => tf.layers.reLU();
  const input = tf.input({ shape: [CIFAR_SHAPE[1], CIFAR_SHAPE[2], CIFAR_SHAPE[0]] });
  let x = relu().apply(bn().apply(conv(16, 1).apply(input)));
  let inC = 16;
  for (const [outC, stride] of [[16, 1], [32, 2], [64, 2]]) {
    for (let i = 0; i < 3; i++) {
      const s = i === 0 ? stride : 1;
      const out = bn().apply(conv(outC, 1).apply(relu().apply(bn().apply(conv(outC, s).apply(x)))));
      const short = s !== 1 || inC !== outC ? zeroPadShortcut(outC - inC, s).apply(x) : x;
      x = relu().apply(tf.layers.add().apply([out, short]));
      inC = outC;
    }
  }
  const logits = tf.layers.dense({ units: RESNET_CLASSES }).apply(tf.layers.globalAveragePooling2d({}).apply(x));
  return tf.model({ inputs: input, outputs: logits });
}

function resnet20Train(): PreparedWorkload {
  const model = resnet20();
  const pixels = CIFAR_SHAPE.reduce((a, b) => a * b, 1);
  const batch = (k: number): [tf.Tensor, tf.Tensor] => {
    const { x, y } = syntheticBatch(k, RESNET_BATCH, pixels, RESNET_CLASSES);
    return [tf.tensor(x, [RESNET_BATCH, ...CIFAR_SHAPE]).transpose([0, 2, 3, 1]), tf.tensor1d(y, 'int32')];
  };
  const opt = tf.train.momentum(RESNET_SGD.lr, RESNET_SGD.momentum);
  const trainable = model.trainableWeights.reduce((n: number, w: any) => n + w.shape.reduce((a: number, b: number) => a * b, 1), 0);
  return { step: trainStep(model, opt, RESNET_CLASSES, batch), note: `NHWC, ${trainable} parameters` };
}

// transformer_train is not written for TensorFlow.js (see its notRun in spec.ts)
const BUILDERS: Partial<Record<WorkloadName, (data: WorkloadData) => PreparedWorkload>> = {
  gemm, mlp_train: mlpTrain, lenet5_train: lenet5Train, lstm_train: lstmTrain, resnet20_train: resnet20Train,
  charlm_train: charlmTrain,
};

/** Builds `workload` on TensorFlow.js with the runner's backend. */
export async function prepareTfjs(r: RunnerSpec, workload: WorkloadName, data: WorkloadData): Promise<PreparedWorkload> {
  await loadPeer();
  const note = await selectBackend(r);
  const build = BUILDERS[workload];
  if (build === undefined) throw new Error(`${workload} is not written for TensorFlow.js`);
  const prepared = build(data);
  return { ...prepared, note: [note, prepared.note].filter(Boolean).join(', ') || undefined };
}
