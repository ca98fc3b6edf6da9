/**
 * The peer workloads on TensorFlow.js 4.22 (`cpu` and `wasm` backends, no tfjs-node): the same models built
 * with tf.layers, trained with tf.train optimizers through `optimizer.minimize`, every step inside tf.tidy.
 * The LSTM's gates use the logistic sigmoid, as PyTorch's do (Keras' default would be the hard sigmoid).
 * TensorFlow.js is loaded at run time from bench/.peers (see install.ts), so it is not a dependency of the project
 * and its types are not checked here.
 * @module
 */
import type { RunnerSpec } from '../runners.js';
import { peerUrl } from './install.js';
import { MNIST_PIXELS, mnistBatch } from '../workloads/mnist.js';
import { textBatch } from '../workloads/text.js';
import {
  ADAM_LR, EMBED_DIM, GEMM_N, HIDDEN, MLP_SGD, MLP_SIZES, MNIST_BATCH, SEQ_LEN, TEXT_BATCH, VOCAB,
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

function lstmTrain(data: WorkloadData): PreparedWorkload {
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: VOCAB, outputDim: EMBED_DIM, inputLength: SEQ_LEN }),
      tf.layers.lstm({ units: HIDDEN, returnSequences: true, recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ units: VOCAB }),
    ],
  });
  const tokens = data.tokens();
  const batch = (k: number): [tf.Tensor, tf.Tensor] => {
    const { x, y } = textBatch(tokens, k, TEXT_BATCH, SEQ_LEN);
    return [tf.tensor2d(x, [TEXT_BATCH, SEQ_LEN], 'int32'), tf.tensor1d(y, 'int32')];
  };
  return { step: trainStep(model, tf.train.adam(ADAM_LR), VOCAB, batch) };
}

const BUILDERS: Record<WorkloadName, (data: WorkloadData) => PreparedWorkload> = {
  gemm, mlp_train: mlpTrain, lenet5_train: lenet5Train, lstm_train: lstmTrain,
};

/** Builds `workload` on TensorFlow.js with the runner's backend. */
export async function prepareTfjs(r: RunnerSpec, workload: WorkloadName, data: WorkloadData): Promise<PreparedWorkload> {
  await loadPeer();
  const note = await selectBackend(r);
  const prepared = BUILDERS[workload](data);
  return { ...prepared, note: [note, prepared.note].filter(Boolean).join(', ') || undefined };
}
