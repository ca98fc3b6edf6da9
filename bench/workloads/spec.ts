/**
 * The peer workloads: names, sizes and the unit each is reported in. Every runner (shendu, TensorFlow.js,
 * PyTorch via bench/torch_train.py, which repeats these constants) builds the same model on the same data.
 * @module
 */

/** Names of the workloads of the `peers` suite. */
export type WorkloadName = 'gemm' | 'mlp_train' | 'lenet5_train' | 'lstm_train' | 'resnet20_train'
  // issue 13
  | 'transformer_train' | 'charlm_train' | 'word2vec_train'
  // issue 14: GANs
  | 'dcgan_train' | 'vae_train'
  // issue 15: detection
  | 'yolo_train';

/** What a workload is and how one step of it is counted. */
export interface WorkloadSpec {
  /** Its name, as typed on the command line. */
  name: WorkloadName;
  /** One line for people. */
  description: string;
  /** The unit of its figure. */
  unit: string;
  /**
   * Units of work in one step (GFLOP for gemm, samples or tokens for training), or 'runner' where the data decides
   * it and each runner's step reports it (PreparedWorkload.perStep; word2vec_train: the corpus's words per pass).
   */
  perStep: number | 'runner';
  /** The data it trains on ('words': the word lists of words.ts). */
  data: 'none' | 'mnist' | 'text' | 'words' | 'synthetic';
  /**
   * Seconds a runner's child process may take, loading and warm-up included (default 120). Big models need more:
   * a ResNet-20 step on a plain-JavaScript backend takes tens of seconds, and at least four steps run.
   */
  timeoutSeconds?: number;
  /** Runners (by name) that are not run on this workload, each with the reason its table cell gives. */
  notRun?: Readonly<Record<string, string>>;
}

/** Side of the square float32 matrices multiplied by `gemm`. */
export const GEMM_N = 1024;
/** Layer widths of the MLP: 784-256-128-10. */
export const MLP_SIZES: readonly number[] = [784, 256, 128, 10];
/** Images per step of the MNIST workloads. */
export const MNIST_BATCH = 64;
/** SGD learning rate and momentum of mlp_train. */
export const MLP_SGD = { lr: 0.01, momentum: 0.9 } as const;
/** Adam learning rate of lenet5_train and lstm_train. */
export const ADAM_LR = 1e-3;
/** Symbols of the character vocabulary (the 63 most frequent characters + one for all others). */
export const VOCAB = 64;
/** Embedding width of the char LM. */
export const EMBED_DIM = 64;
/** LSTM hidden size of the char LM. */
export const HIDDEN = 128;
/** Characters per sequence of the char LM. */
export const SEQ_LEN = 64;
/** Sequences per step of the char LM. */
export const TEXT_BATCH = 32;
/** Input of resnet20_train: [RESNET_BATCH, ...CIFAR_SHAPE] synthetic images (see synthetic.ts), 10 classes. */
export const CIFAR_SHAPE: readonly number[] = [3, 32, 32];
/** Images per step of resnet20_train (the CIFAR recipe's batch). */
export const RESNET_BATCH = 128;
/** Classes of resnet20_train. */
export const RESNET_CLASSES = 10;
/** SGD learning rate and momentum of resnet20_train (the CIFAR recipe's, without its weight decay). */
export const RESNET_SGD = { lr: 0.1, momentum: 0.9 } as const;

// issue 13: transformer_train, a causal char-level Transformer LM on the lstm_train text and batches (VOCAB,
// SEQ_LEN, TEXT_BATCH, ADAM_LR): embedding + learned positions, TR_LAYERS post-norm (PyTorch's default)
// encoder layers under the causal mask, a linear head.
/** Model width of transformer_train. */
export const TR_DIM = 64;
/** Attention heads of transformer_train. */
export const TR_HEADS = 4;
/** Feed-forward width of transformer_train. */
export const TR_FF = 128;
/** Encoder layers of transformer_train. */
export const TR_LAYERS = 2;
/** Dropout of transformer_train's layers (PyTorch's default). */
export const TR_DROPOUT = 0.1;
/** charlm_train: the zoo's 'charlm' with a GRU cell (PyTorch's GRU = Keras's with resetAfter), on the lstm_train batches. */
export const CHARLM = { cell: 'gru', layers: 2, hidden: 128 } as const;
/**
 * word2vec_train: skip-gram word2vec with negative sampling (text.Word2Vec; gensim's Word2Vec on the torch runners,
 * with workers = the runner's threads) on Moby Dick's paragraphs (workloads/words.ts), with the settings of
 * examples/word2vec-moby-dick.ts. One step is one pass over the corpus, its learning rate decaying from `alpha` to
 * `minAlpha` within the pass (the speed does not depend on it); the figure is raw corpus words (in the vocabulary or
 * not, before subsampling) per second of training wall time, for every runner.
 */
export const W2V = { vectorSize: 100, window: 5, negative: 5, sample: 1e-3, minCount: 5, alpha: 0.025, minAlpha: 0.0001, seed: 1 } as const;
// issue 14: GANs
/** dcgan_train: the zoo's 'gan' (DCGAN layout) with this latent size and width, on MNIST batches scaled to [-1, 1]. */
export const DCGAN = { latentDim: 100, width: 32, lr: 2e-4, betas: [0.5, 0.999] } as const;

/** vae_train: the zoo's 'vae' (PyTorch's example: 784-400-20-400-784), BCE summed + KL, Adam 1e-3, batch 128. */
export const VAE = { batch: 128, lr: 1e-3 } as const;

// issue 15: detection
/** yolo_train: the zoo's 'yolo' (YOLO v1, 96x96, 6x6 grid, B 2, C 10) through the detection task, Adam 1e-3, batch 32 synthetic canvases (workloads/detection.ts). */
export const YOLO = { batch: 32, lr: 1e-3, size: 96, classes: 10 } as const;

/** The workloads, in table order. */
export const WORKLOADS: readonly WorkloadSpec[] = [
  { name: 'gemm', description: `${GEMM_N}x${GEMM_N}x${GEMM_N} float32 matmul`, unit: 'GFLOP/s', perStep: (2 * GEMM_N ** 3) / 1e9, data: 'none' },
  { name: 'mlp_train', description: 'MLP 784-256-128-10 on MNIST, SGD momentum, batch 64', unit: 'samples/s', perStep: MNIST_BATCH, data: 'mnist' },
  { name: 'lenet5_train', description: 'LeNet-5 on MNIST, Adam, batch 64', unit: 'samples/s', perStep: MNIST_BATCH, data: 'mnist' },
  { name: 'lstm_train', description: 'char LSTM LM on Moby Dick, Adam, 32x64 tokens', unit: 'tokens/s', perStep: TEXT_BATCH * SEQ_LEN, data: 'text' },
  { name: 'resnet20_train', description: 'CIFAR ResNet-20 (option A) on synthetic 3x32x32 images, SGD momentum, batch 128', unit: 'samples/s', perStep: RESNET_BATCH, data: 'synthetic', timeoutSeconds: 600,
    notRun: { 'tfjs-cpu': 'not run: one training step did not finish in 15 minutes here (tfjs-cpu convolutions are plain JavaScript loops), and at least 4 steps are timed' } },
  { name: 'transformer_train', description: `causal char Transformer LM (${TR_LAYERS} layers, d ${TR_DIM}, ${TR_HEADS} heads, ff ${TR_FF}) on Moby Dick, Adam, 32x64 tokens`, unit: 'tokens/s', perStep: TEXT_BATCH * SEQ_LEN, data: 'text',
    notRun: { 'tfjs-cpu': 'not run: not written, as tf.layers has no multi-head attention layer', 'tfjs-wasm': 'not run: not written, as tf.layers has no multi-head attention layer' } },
  { name: 'charlm_train', description: `the zoo's char LM: embedding ${EMBED_DIM}, ${CHARLM.layers}-layer GRU ${CHARLM.hidden}, on Moby Dick, Adam, 32x64 tokens`, unit: 'tokens/s', perStep: TEXT_BATCH * SEQ_LEN, data: 'text',
    notRun: { 'tfjs-wasm': "not run: tfjs's wasm backend has no UnsortedSegmentSum kernel (the embedding's gradient; lstm_train's tfjs-wasm cell shows the error)" } },
  { name: 'word2vec_train', description: `word2vec skip-gram (${W2V.vectorSize}-d, window ${W2V.window}, negative ${W2V.negative}, sample ${W2V.sample}, min count ${W2V.minCount}) on Moby Dick's words, one pass a step; torch runners: gensim`, unit: 'words/s', perStep: 'runner', data: 'words', timeoutSeconds: 300,
    notRun: {
      'shendu-wasm-2t': 'not run: text.Word2Vec trains on one thread (one kernel call per job, in order); shendu-wasm-1t shows its figure',
      'tfjs-cpu': 'not run: TensorFlow.js has no word2vec', 'tfjs-wasm': 'not run: TensorFlow.js has no word2vec',
    } },
  // issue 14: GANs
  { name: 'dcgan_train', description: `DCGAN (z ${DCGAN.latentDim}, width ${DCGAN.width}) on MNIST in [-1, 1]: one discriminator and one generator Adam step per batch of 64`, unit: 'samples/s', perStep: MNIST_BATCH, data: 'mnist', timeoutSeconds: 300,
    notRun: { 'tfjs-cpu': 'not run: no TensorFlow.js twin of the GAN task', 'tfjs-wasm': 'not run: no TensorFlow.js twin of the GAN task' } },
  { name: 'vae_train', description: `VAE 784-400-20-400-784 (PyTorch's example) on MNIST: BCE summed + KL, Adam, batch ${VAE.batch}`, unit: 'samples/s', perStep: VAE.batch, data: 'mnist',
    notRun: { 'tfjs-cpu': 'not run: no TensorFlow.js twin of the VAE task', 'tfjs-wasm': 'not run: no TensorFlow.js twin of the VAE task' } },
  // issue 15: detection
  { name: 'yolo_train', description: `YOLO v1 (6x6 grid, 2 boxes, 10 classes) on synthetic 96x96 canvases with 3 boxes each: sum-squared loss, Adam, batch ${YOLO.batch}`, unit: 'samples/s', perStep: YOLO.batch, data: 'synthetic', timeoutSeconds: 300,
    notRun: { 'tfjs-cpu': 'not run: no TensorFlow.js twin of the YOLO loss', 'tfjs-wasm': 'not run: no TensorFlow.js twin of the YOLO loss' } },
];

/** The spec called `name`, or undefined. */
export function workloadSpec(name: string): WorkloadSpec | undefined {
  return WORKLOADS.find((w) => w.name === name);
}

/** The data a workload may need, loaded on first use (see child.ts). */
export interface WorkloadData {
  /** MNIST training images and labels. */
  mnist(): import('./mnist.js').MnistTrain;
  /** The char-LM text as symbols in [0, VOCAB). */
  tokens(): Uint8Array;
  /** word2vec_train's corpus: paragraphs as lists of words. */
  sentences(): string[][];
}

/** A workload built on a runner: one training (or gemm) step, and what the runner used. */
export interface PreparedWorkload {
  /** Runs one step to completion (the loss read back), sync or async. */
  step: () => unknown;
  /** What the runner actually used (threads, kernels), when worth reporting. */
  note?: string;
  /** Units of work in one step, where the spec's perStep is 'runner'. */
  perStep?: number;
}
