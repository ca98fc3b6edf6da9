/**
 * The peer workloads on shendu, through its public API only. The wasm backend, `setNumThreads` and
 * `nn.LSTM` are looked up at run time, so this file compiles whether or not they exist yet; a runner that
 * lacks one reports that as its error.
 * @module
 */
import * as sd from '../../src/index.js';
import type { RunnerSpec } from '../runners.js';
import { mnistBatch } from '../workloads/mnist.js';
import { syntheticBatch } from '../workloads/synthetic.js';
import { textBatch } from '../workloads/text.js';
import { syntheticDetectionBatch } from '../workloads/detection.js';
import {
  ADAM_LR, CIFAR_SHAPE, EMBED_DIM, GEMM_N, HIDDEN, MLP_SGD, MLP_SIZES, MNIST_BATCH, RESNET_BATCH, RESNET_CLASSES, RESNET_SGD, SEQ_LEN, TEXT_BATCH, VOCAB,
  TR_DIM, TR_DROPOUT, TR_FF, TR_HEADS, TR_LAYERS,
  DCGAN, CHARLM, VAE, YOLO, W2V,
  type PreparedWorkload, type WorkloadData, type WorkloadName,
} from '../workloads/spec.js';

/** What `nn.LSTM` is expected to look like (torch.nn.LSTM in camelCase). */
type LstmLike = sd.nn.Module & { forward(x: sd.Tensor): [sd.Tensor, [sd.Tensor, sd.Tensor]] };
type LstmCtor = new (inputSize: number, hiddenSize: number, opts?: { batchFirst?: boolean }) => LstmLike;

/** The public API as a plain record, for features that may not be exported yet. */
const api = sd as unknown as Record<string, unknown>;

/** Selects the runner's backend and thread count; returns a note on what was used. */
async function selectBackend(r: RunnerSpec): Promise<string | undefined> {
  if (r.backend === 'wasm' && !sd.listBackends().includes('wasm')) {
    throw new Error(`wasm backend not available (registered backends: ${sd.listBackends().join(', ')})`);
  }
  await sd.setBackend(r.backend);
  if (r.threads === undefined) return undefined;
  const setNumThreads = api.setNumThreads;
  if (typeof setNumThreads !== 'function') throw new Error('wasm backend not available (setNumThreads is not exported)');
  await (setNumThreads as (n: number) => unknown)(r.threads);
  const getNumThreads = api.getNumThreads;
  return typeof getNumThreads === 'function' ? `threads=${String((getNumThreads as () => unknown)())}` : undefined;
}

/** One optimizer step per call on batch k = 0, 1, 2, ...; returns the loss, read back. */
function trainStep(opt: sd.optim.Optimizer, batch: (k: number) => [sd.Tensor, sd.Tensor], loss: (x: sd.Tensor, y: sd.Tensor) => sd.Tensor): () => number {
  let k = 0;
  return () => {
    const [x, y] = batch(k++);
    const l = loss(x, y);
    opt.zeroGrad();
    l.backward();
    opt.step();
    return l.item();
  };
}

function mnistBatches(data: WorkloadData, imageShape: number[]): (k: number) => [sd.Tensor, sd.Tensor] {
  const set = data.mnist();
  return (k) => {
    const { x, y } = mnistBatch(set, k, MNIST_BATCH);
    return [sd.tensor(x, { shape: [MNIST_BATCH, ...imageShape] }), sd.tensor(y, { shape: [MNIST_BATCH] })];
  };
}

function gemm(): PreparedWorkload {
  const a = sd.randn([GEMM_N, GEMM_N]);
  const b = sd.randn([GEMM_N, GEMM_N]);
  return { step: () => sd.matmul(a, b) };
}

function mlpTrain(data: WorkloadData): PreparedWorkload {
  const model = sd.models.mlp({ inputSize: 28, hidden: MLP_SIZES.slice(1, -1), numClasses: MLP_SIZES[MLP_SIZES.length - 1] });
  const opt = new sd.optim.SGD(model.parameters(), { lr: MLP_SGD.lr, momentum: MLP_SGD.momentum });
  const step = trainStep(opt, mnistBatches(data, [1, 28, 28]), (x, y) => sd.F.crossEntropy(model.forward(x), y));
  return { step };
}

function lenet5Train(data: WorkloadData): PreparedWorkload {
  const model = sd.models.lenet5();
  const opt = new sd.optim.Adam(model.parameters(), { lr: ADAM_LR });
  const step = trainStep(opt, mnistBatches(data, [1, 28, 28]), (x, y) => sd.F.crossEntropy(model.forward(x), y));
  return { step };
}

function lstmTrain(data: WorkloadData): PreparedWorkload {
  const LSTM = (sd.nn as unknown as Record<string, unknown>).LSTM;
  if (typeof LSTM !== 'function') throw new Error('nn.LSTM is not available in this build');
  const embed = new sd.nn.Embedding(VOCAB, EMBED_DIM);
  const lstm = new (LSTM as LstmCtor)(EMBED_DIM, HIDDEN, { batchFirst: true });
  const head = new sd.nn.Linear(HIDDEN, VOCAB);
  const params = [...embed.parameters(), ...lstm.parameters(), ...head.parameters()];
  const opt = new sd.optim.Adam(params, { lr: ADAM_LR });
  const tokens = data.tokens();
  const batch = (k: number): [sd.Tensor, sd.Tensor] => {
    const { x, y } = textBatch(tokens, k, TEXT_BATCH, SEQ_LEN);
    return [sd.tensor(x, { shape: [TEXT_BATCH, SEQ_LEN] }), sd.tensor(y, { shape: [TEXT_BATCH * SEQ_LEN] })];
  };
  const loss = (x: sd.Tensor, y: sd.Tensor) => {
    const [out] = lstm.forward(embed.forward(x));
    return sd.F.crossEntropy(head.forward(out).reshape([TEXT_BATCH * SEQ_LEN, VOCAB]), y);
  };
  return { step: trainStep(opt, batch, loss) };
}

function resnet20Train(): PreparedWorkload {
  const model = sd.models.createModel('resnet20', { inChannels: CIFAR_SHAPE[0], numClasses: RESNET_CLASSES });
  const opt = new sd.optim.SGD(model.parameters(), { lr: RESNET_SGD.lr, momentum: RESNET_SGD.momentum });
  const pixels = CIFAR_SHAPE.reduce((a, b) => a * b, 1);
  const batch = (k: number): [sd.Tensor, sd.Tensor] => {
    const { x, y } = syntheticBatch(k, RESNET_BATCH, pixels, RESNET_CLASSES);
    return [sd.tensor(x, { shape: [RESNET_BATCH, ...CIFAR_SHAPE] }), sd.tensor(y, { shape: [RESNET_BATCH] })];
  };
  return { step: trainStep(opt, batch, (x, y) => sd.F.crossEntropy(model.forward(x), y)) };
}

// issue 13: a causal char-level Transformer LM (bench/torch_train.py's TransformerLM)
function transformerTrain(data: WorkloadData): PreparedWorkload {
  const embed = new sd.nn.Embedding(VOCAB, TR_DIM);
  const pos = new sd.nn.Embedding(SEQ_LEN, TR_DIM);
  const layer = new sd.nn.TransformerEncoderLayer(TR_DIM, TR_HEADS, { dimFeedforward: TR_FF, dropout: TR_DROPOUT, batchFirst: true });
  const encoder = new sd.nn.TransformerEncoder(layer, TR_LAYERS);
  const head = new sd.nn.Linear(TR_DIM, VOCAB);
  const opt = new sd.optim.Adam([...embed.parameters(), ...pos.parameters(), ...encoder.parameters(), ...head.parameters()], { lr: ADAM_LR });
  const positions = sd.arange(0, SEQ_LEN, 1, { dtype: 'int32' });
  const causal = sd.nn.generateSquareSubsequentMask(SEQ_LEN);
  const tokens = data.tokens();
  const batch = (k: number): [sd.Tensor, sd.Tensor] => {
    const { x, y } = textBatch(tokens, k, TEXT_BATCH, SEQ_LEN);
    return [sd.tensor(x, { shape: [TEXT_BATCH, SEQ_LEN] }), sd.tensor(y, { shape: [TEXT_BATCH * SEQ_LEN] })];
  };
  const loss = (x: sd.Tensor, y: sd.Tensor) => {
    const h = encoder.forward(embed.forward(x).add(pos.forward(positions)), { mask: causal });
    return sd.F.crossEntropy(head.forward(h).reshape([TEXT_BATCH * SEQ_LEN, VOCAB]), y);
  };
  return { step: trainStep(opt, batch, loss) };
}

// issue 13: the zoo's char LM with a GRU cell, as `shendu train charlm --cell gru` builds it
function charlmTrain(data: WorkloadData): PreparedWorkload {
  const model = sd.models.createModel('charlm', { vocabSize: VOCAB, cell: CHARLM.cell, embedDim: EMBED_DIM, hiddenSize: CHARLM.hidden, numLayers: CHARLM.layers });
  const opt = new sd.optim.Adam(model.parameters(), { lr: ADAM_LR });
  const tokens = data.tokens();
  const batch = (k: number): [sd.Tensor, sd.Tensor] => {
    const { x, y } = textBatch(tokens, k, TEXT_BATCH, SEQ_LEN);
    return [sd.tensor(x, { shape: [TEXT_BATCH, SEQ_LEN] }), sd.tensor(y, { shape: [TEXT_BATCH * SEQ_LEN] })];
  };
  const loss = (x: sd.Tensor, y: sd.Tensor) => sd.F.crossEntropy((model.forward(x) as sd.Tensor).reshape([TEXT_BATCH * SEQ_LEN, VOCAB]), y);
  return { step: trainStep(opt, batch, loss), note: `${model.parameterCount()} parameters` };
}

// issue 13: skip-gram word2vec, one pass over the corpus per step (the rate restarts from alpha each pass)
function word2vecTrain(data: WorkloadData): PreparedWorkload {
  const sentences = data.sentences();
  const words = sentences.reduce((a, s) => a + s.length, 0);
  const model = new sd.text.Word2Vec(sentences, { ...W2V, sg: true, epochs: 1, train: false });
  const step = () => {
    const report = model.train();
    if (report.rawWords !== words) throw new Error(`word2vec_train: a pass processed ${report.rawWords} words, expected the corpus's ${words}`);
    return report.wordsPerSecond;
  };
  return { step, perStep: words, note: `text.Word2Vec (${sd.getBackend().name === 'wasm' ? 'WebAssembly kernel' : 'plain JavaScript'}), vocabulary ${model.vocab.length}, ${words} words a pass` };
}

// issue 14: GANs — the library's GAN task, so the step is exactly what `fitTask` runs
function dcganTrain(data: WorkloadData): PreparedWorkload {
  const model = sd.models.createModel('gan', { latentDim: DCGAN.latentDim, width: DCGAN.width }) as sd.models.GAN;
  const task = new sd.train.GanTask(model, { lr: DCGAN.lr, betas: [...DCGAN.betas], seed: 0 });
  const batches = mnistBatches(data, [1, 28, 28]);
  let k = 0;
  const step = () => {
    const [x, y] = batches(k++);
    return task.trainStep([x.mul(2).sub(1), y], { epoch: 1, batch: k, batchesPerEpoch: null, step: k - 1 }).loss;
  };
  return { step, note: `${model.parameterCount()} parameters` };
}

// issue 14: the VAE task's own step (reparameterization from the task's generator, BCE summed + KL)
function vaeTrain(data: WorkloadData): PreparedWorkload {
  const model = sd.models.createModel('vae');
  const task = new sd.train.VaeTask(model, { optimizer: new sd.optim.Adam(model.parameters(), { lr: VAE.lr }), seed: 0 });
  const set = data.mnist();
  let k = 0;
  const step = () => {
    const { x, y } = mnistBatch(set, k++, VAE.batch);
    const batch: [sd.Tensor, sd.Tensor] = [sd.tensor(x, { shape: [VAE.batch, 1, 28, 28] }), sd.tensor(y, { shape: [VAE.batch] })];
    return task.trainStep(batch, { epoch: 1, batch: k, batchesPerEpoch: null, step: k - 1 }).loss;
  };
  return { step, note: `${model.parameterCount()} parameters` };
}

// issue 15: the detection task's own step on the zoo's YOLO v1 (the paper's loss, target assignment included)
function yoloTrain(): PreparedWorkload {
  const model = sd.models.createModel('yolo', { inChannels: 1, inputSize: YOLO.size, numClasses: YOLO.classes });
  const task = new sd.train.DetectionTask(model as unknown as sd.train.DetectionModel, { optimizer: new sd.optim.Adam(model.parameters(), { lr: YOLO.lr }) });
  let k = 0;
  const step = () => {
    const { x, boxes, labels } = syntheticDetectionBatch(k++, YOLO.batch, YOLO.size, YOLO.classes);
    const targets = boxes.map((b, i) => ({ boxes: sd.tensor(b), labels: sd.tensor(labels[i], { dtype: 'int32' }) }));
    return task.trainStep({ images: sd.tensor(x, { shape: [YOLO.batch, 1, YOLO.size, YOLO.size] }), targets }, { epoch: 1, batch: k, batchesPerEpoch: null, step: k - 1 }).loss;
  };
  return { step, note: `${model.parameterCount()} parameters` };
}

const BUILDERS: Record<WorkloadName, (data: WorkloadData) => PreparedWorkload> = {
  gemm, mlp_train: mlpTrain, lenet5_train: lenet5Train, lstm_train: lstmTrain, resnet20_train: resnet20Train,
  transformer_train: transformerTrain, charlm_train: charlmTrain, word2vec_train: word2vecTrain,
  dcgan_train: dcganTrain, vae_train: vaeTrain,
  yolo_train: yoloTrain, // issue 15
};

/** Builds `workload` on shendu with the runner's backend and threads. */
export async function prepareShendu(r: RunnerSpec, workload: WorkloadName, data: WorkloadData): Promise<PreparedWorkload> {
  const note = await selectBackend(r);
  const prepared = BUILDERS[workload](data);
  return { ...prepared, note: [note, prepared.note].filter(Boolean).join(', ') || undefined };
}
