/**
 * The model zoo by name: `createModel('resnet18', {numClasses: 10})`. The CLI and checkpoints refer to models
 * by these names (torchvision's where torchvision has the model). Each entry carries its metadata: the task, the
 * input it is built for, the normalization it expects, a description and the paper.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Layer } from '../nn/module.js';
import { full, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TaskName } from '../train/tasks/registry.js';
import { lenet5, logisticRegression, mlp, type ImageClassifierOptions, type LeNetOptions, type MlpOptions } from './classic-nets.js';
import { AlexNet, VGG, type AlexNetOptions, type VggDepth, type VggOptions } from './vision/alexnet-vgg.js';
import { CifarResNet, CifarVGG, type CifarResNetOptions, type CifarVggOptions } from './vision/cifar.js';
import type { ZooOptions } from './vision/common.js';
import { DenseNet, DenseNetBC, type DenseNetBCOptions, type DenseNetDepth, type DenseNetOptions } from './vision/densenet.js';
import { GoogLeNet, type GoogLeNetOptions } from './vision/googlenet.js';
import { resnet, type ResNetDepth } from './vision/resnet.js';
import { CharLM, type CharLMOptions } from './sequence/charlm.js';
// issue 14: auto-encoders and VAEs
import { AutoEncoder, DenoisingAutoEncoder, SparseAutoEncoder, type AutoEncoderOptions, type DenoisingOptions, type SparseOptions } from './generative/autoencoder.js';
import { ConvAutoEncoder, type ConvAutoEncoderOptions } from './generative/conv-ae.js';
import { ConvVAE, VAE, type ConvVaeOptions, type VaeOptions } from './generative/vae.js';
// issue 14: U-Net
import { UNet, type UNetOptions } from './generative/unet.js';
// issue 14: GANs
import { CGAN, type CGanOptions } from './generative/cgan.js';
import { GAN, type GanOptions } from './generative/gan.js';
// issue 13: text classification and POS tagging
import { TextClassifier, type TextClassifierOptions } from './sequence/text-classifier.js';
import { POSTagger, type POSTaggerOptions } from './sequence/pos-tagger.js';
// issue 13: CRNN
import { CRNN, type CrnnOptions } from './sequence/crnn.js';
import { G2P, type G2POptions } from './sequence/g2p.js';
// issue 13: the Transformer G2P (h-g2p)
import { G2PTransformer, type G2PTransformerOptions } from './sequence/g2p-transformer.js';
// issue 13: image captioning
import { Captioner, type CaptionerOptions } from './sequence/captioner.js';
// issue 15: YOLO v1
import { YOLOv1, type YoloOptions } from './detection/yolo.js';
// issue 15: Faster R-CNN
import { FasterRCNN, type FasterRcnnOptions } from './detection/faster-rcnn/model.js';
// issue 17: the CNN a neural architecture search found
import { nasCnn, type NasCnnOptions } from './nascnn.js';
// issue 15: R-CNN family
import { RCNN, type RCNNOptions } from './detection/rcnn.js';
import { FastRCNN, type FastRCNNOptions } from './detection/fast-rcnn.js';
// issue 15: YOLO v2 (h-yolov2)
import { YOLOv2, type YoloV2Options } from './detection/yolov2.js';

/** Each zoo name and the options its builder takes. */
export interface ModelOptionsMap {
  /** Options of logistic. */
  logistic: ImageClassifierOptions;
  /** Options of mlp. */
  mlp: MlpOptions;
  /** Options of lenet5. */
  lenet5: LeNetOptions;
  /** Options of alexnet. */
  alexnet: AlexNetOptions;
  /** Options of vgg11. */
  vgg11: VggOptions;
  /** Options of vgg13. */
  vgg13: VggOptions;
  /** Options of vgg16. */
  vgg16: VggOptions;
  /** Options of vgg19. */
  vgg19: VggOptions;
  /** Options of vgg11_bn. */
  vgg11_bn: VggOptions;
  /** Options of vgg13_bn. */
  vgg13_bn: VggOptions;
  /** Options of vgg16_bn. */
  vgg16_bn: VggOptions;
  /** Options of vgg19_bn. */
  vgg19_bn: VggOptions;
  /** Options of googlenet. */
  googlenet: GoogLeNetOptions;
  /** Options of resnet18. */
  resnet18: ZooOptions;
  /** Options of resnet34. */
  resnet34: ZooOptions;
  /** Options of resnet50. */
  resnet50: ZooOptions;
  /** Options of resnet101. */
  resnet101: ZooOptions;
  /** Options of resnet152. */
  resnet152: ZooOptions;
  /** Options of densenet121. */
  densenet121: DenseNetOptions;
  /** Options of densenet161. */
  densenet161: DenseNetOptions;
  /** Options of densenet169. */
  densenet169: DenseNetOptions;
  /** Options of densenet201. */
  densenet201: DenseNetOptions;
  /** Options of resnet20. */
  resnet20: CifarResNetOptions;
  /** Options of resnet32. */
  resnet32: CifarResNetOptions;
  /** Options of resnet44. */
  resnet44: CifarResNetOptions;
  /** Options of resnet56. */
  resnet56: CifarResNetOptions;
  /** Options of resnet110. */
  resnet110: CifarResNetOptions;
  /** Options of plain20. */
  plain20: CifarResNetOptions;
  /** Options of plain32. */
  plain32: CifarResNetOptions;
  /** Options of plain44. */
  plain44: CifarResNetOptions;
  /** Options of plain56. */
  plain56: CifarResNetOptions;
  /** Options of plain110. */
  plain110: CifarResNetOptions;
  /** Options of vgg_cifar. */
  vgg_cifar: CifarVggOptions;
  /** Options of densenet_bc. */
  densenet_bc: DenseNetBCOptions;
  /** Options of charlm. */
  charlm: CharLMOptions;
  // issue 14: auto-encoders and VAEs
  /** Options of ae. */
  ae: AutoEncoderOptions;
  /** Options of dae. */
  dae: DenoisingOptions;
  /** Options of sae. */
  sae: SparseOptions;
  /** Options of convae. */
  convae: ConvAutoEncoderOptions;
  /** Options of convae_t. */
  convae_t: ConvAutoEncoderOptions;
  /** Options of vae. */
  vae: VaeOptions;
  /** Options of convvae. */
  convvae: ConvVaeOptions;
  // issue 14: U-Net
  /** Options of unet. */
  unet: UNetOptions;
  // issue 14: GANs
  /** Options of gan. */
  gan: GanOptions;
  /** Options of cgan. */
  cgan: CGanOptions;
  // issue 13: text classification and POS tagging
  /** Options of textclassifier. */
  textclassifier: TextClassifierOptions;
  /** Options of postagger. */
  postagger: POSTaggerOptions;
  // issue 13: CRNN
  /** Options of crnn. */
  crnn: CrnnOptions;
  /** Options of g2p. */
  g2p: G2POptions;
  // issue 13: the Transformer G2P (h-g2p)
  /** Options of g2p_transformer. */
  g2p_transformer: G2PTransformerOptions;
  // issue 13: image captioning
  /** Options of captioner. */
  captioner: CaptionerOptions;
  // issue 15: YOLO v1
  /** Options of yolo. */
  yolo: YoloOptions;
  // issue 15: Faster R-CNN
  /** Options of fasterrcnn. */
  fasterrcnn: FasterRcnnOptions;
  // issue 17: NAS
  /** Options of nascnn (the architecture is required). */
  nascnn: NasCnnOptions;
  // issue 15: R-CNN family (h-rcnn)
  /** Options of rcnn. */
  rcnn: RCNNOptions;
  /** Options of fastrcnn. */
  fastrcnn: FastRCNNOptions;
  /** Options of sppnet (fastrcnn with pooling 'spp'). */
  sppnet: FastRCNNOptions;
  // issue 15: YOLO v2 (h-yolov2)
  /** Options of yolov2. */
  yolov2: YoloV2Options;
}

/** A zoo model's name. */
export type ModelName = keyof ModelOptionsMap;

/** The options of some zoo model (what a checkpoint stores); each model reads only its own. */
export type ModelOptions = ModelOptionsMap[ModelName];

/** Per-channel normalization of [0, 1] pixels a model expects: (x - mean) / std. */
export interface Normalization {
  /** Per-channel means. */
  mean: readonly number[];
  /** Per-channel standard deviations. */
  std: readonly number[];
}

/** A zoo entry: metadata and a builder. */
export interface ModelEntry<O = ModelOptions> {
  /** What the model is, for `shendu summary` and help texts. */
  description: string;
  /** The training task the model belongs to (a name in the task registry, train/tasks/registry.ts). */
  task: TaskName;
  /** Default input channels. */
  inChannels: number;
  /** The image height and width it is built for. */
  inputSize: number;
  /** Default number of classes. */
  numClasses: number;
  /** The input normalization its reference training used (null: the dataset's own statistics). */
  normalization: Normalization | null;
  /** Where the architecture comes from. */
  paper: string;
  /**
   * The final classifier module (a Linear) as a dotted path, e.g. 'fc', 'classifier.6'; a negative number counts
   * a container's children from the end ('-1': mlp's last layer, whose index depends on its options). Absent for
   * models without a classifier head (auto-encoders, generators).
   */
  head?: string;
  /** Further classifiers that score the same classes (GoogLeNet's auxiliary ones), replaced with the head. */
  auxHeads?: readonly string[];
  /** Builds a fresh model. */
  build: (opts: O) => Layer;
  /**
   * A sample of what its forward takes when that is not one image [1, inChannels, inputSize, inputSize] nor the
   * tokens/latents its task implies (`shendu summary` runs the model on it).
   */
  exampleInputs?: (model: Layer, opts: { inChannels: number; inputSize: number }) => Tensor[];
  /** The model is built from a searched architecture (an architecture file: `shendu train --arch FILE`), not a fixed one. */
  searchedArchitecture?: boolean;
  /**
   * Options whose default has changed since runs were first recorded, with the value those runs were built with:
   * `loadRun` fills them in where a run's recorded options lack them, so an older run rebuilds the model it trained.
   * The built model exposes each such option as a property of the same name, which `shendu train` records.
   */
  runDefaults?: ModelOptions;
}

const IMAGENET: Normalization = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
const CIFAR: Normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] };
const small = { task: 'classification', inChannels: 1, inputSize: 28, numClasses: 10, normalization: null } as const;
const imagenet = { task: 'classification', inChannels: 3, inputSize: 224, numClasses: 1000, normalization: IMAGENET } as const;
const cifar = { task: 'classification', inChannels: 3, inputSize: 32, numClasses: 10, normalization: CIFAR } as const;

const VGG_PAPER = 'Simonyan & Zisserman, Very Deep Convolutional Networks for Large-Scale Image Recognition, ICLR 2015';
const RESNET_PAPER = 'He, Zhang, Ren & Sun, Deep Residual Learning for Image Recognition, CVPR 2016';
const DENSENET_PAPER = 'Huang, Liu, van der Maaten & Weinberger, Densely Connected Convolutional Networks, CVPR 2017';

const vgg = (d: VggDepth, bn: boolean): ModelEntry<VggOptions> => ({
  ...imagenet, paper: VGG_PAPER, head: 'classifier.6', build: (o) => new VGG(d, bn, o),
  description: `VGG-${d}${bn ? ' with batch norm' : ''}: 3x3 convs in 5 stages, fc 4096, 4096 (torchvision layout)`,
});
const resnetEntry = (d: ResNetDepth): ModelEntry<ZooOptions> => ({
  ...imagenet, paper: RESNET_PAPER, head: 'fc', build: (o) => resnet(d, o),
  description: `ResNet-${d}: ${d < 50 ? 'basic' : 'bottleneck'} residual blocks in 4 stages (torchvision layout)`,
});
const densenetEntry = (d: DenseNetDepth): ModelEntry<DenseNetOptions> => ({
  ...imagenet, paper: DENSENET_PAPER, head: 'classifier', build: (o) => new DenseNet(d, o),
  description: `DenseNet-${d}: 4 dense blocks of bottleneck layers with compressing transitions (torchvision layout)`,
});
const cifarResnet = (d: number, plain: boolean): ModelEntry<CifarResNetOptions> => ({
  ...cifar, paper: `${RESNET_PAPER}, section 4.2`, head: 'fc', build: (o) => new CifarResNet(d, plain, o),
  description: plain
    ? `plain-${d}: ResNet-${d}'s ${d - 2} conv layers plus fc without shortcuts, for 32x32 images`
    : `ResNet-${d} for 32x32 images: 3 stages of ${(d - 2) / 6} basic blocks at 16/32/64 channels, option A shortcuts`,
});

// issue 14: auto-encoders and VAEs for 28x28 grey images; numClasses is the data set's (the loaders' labels,
// which these tasks ignore), as the zoo's entries all carry one. Their inputs are the [0, 1] pixels unchanged
// (identity normalization): they are the BCE targets of the sigmoid outputs.
const PIXELS: Normalization = { mean: [0], std: [1] };
const ae28 = { task: 'reconstruction', inChannels: 1, inputSize: 28, numClasses: 10, normalization: PIXELS } as const;
const vae28 = { ...ae28, task: 'vae' } as const;
const AE_PAPER = 'Hinton & Salakhutdinov, Reducing the Dimensionality of Data with Neural Networks, Science 2006';
const VAE_PAPER = 'Kingma & Welling, Auto-Encoding Variational Bayes, ICLR 2014';

// issue 15: detectors take the canvas set's [0, 1] grey 96x96 images as they are
const detection96 = { task: 'detection', inChannels: 1, inputSize: 96, numClasses: 10, normalization: PIXELS } as const;

const MODELS: { [K in ModelName]: ModelEntry<ModelOptionsMap[K]> } = {
  logistic: { ...small, head: '1', paper: 'multinomial logistic regression', description: 'multinomial logistic regression (one linear layer on the flattened image)', build: logisticRegression },
  mlp: { ...small, head: '-1', paper: 'Rumelhart, Hinton & Williams, Learning representations by back-propagating errors, Nature 1986', description: 'multi-layer perceptron, hidden layers 256 and 128 with ReLU', build: mlp },
  lenet5: { ...small, head: '-1', paper: 'LeCun, Bottou, Bengio & Haffner, Gradient-Based Learning Applied to Document Recognition, 1998', description: 'LeNet-5: conv 6@5x5, pool, conv 16@5x5, pool, 120, 84, classes', build: lenet5 },
  alexnet: {
    ...imagenet, head: 'classifier.6', paper: 'Krizhevsky, Sutskever & Hinton, ImageNet Classification with Deep Convolutional Neural Networks, NeurIPS 2012',
    description: 'AlexNet: 5 convs, 3 max pools, fc 4096, 4096 (torchvision layout; variant original: 96 channels and LRN)', build: (o) => new AlexNet(o),
  },
  vgg11: vgg(11, false), vgg13: vgg(13, false), vgg16: vgg(16, false), vgg19: vgg(19, false),
  vgg11_bn: vgg(11, true), vgg13_bn: vgg(13, true), vgg16_bn: vgg(16, true), vgg19_bn: vgg(19, true),
  googlenet: {
    ...imagenet, head: 'fc', auxHeads: ['aux1.fc2', 'aux2.fc2'], paper: 'Szegedy et al., Going Deeper with Convolutions, CVPR 2015',
    description: 'GoogLeNet (Inception v1) with batch norm and auxiliary classifiers (torchvision layout; variant paper: 5x5 branch)', build: (o) => new GoogLeNet(o),
  },
  resnet18: resnetEntry(18), resnet34: resnetEntry(34), resnet50: resnetEntry(50), resnet101: resnetEntry(101), resnet152: resnetEntry(152),
  densenet121: densenetEntry(121), densenet161: densenetEntry(161), densenet169: densenetEntry(169), densenet201: densenetEntry(201),
  resnet20: cifarResnet(20, false), resnet32: cifarResnet(32, false), resnet44: cifarResnet(44, false), resnet56: cifarResnet(56, false), resnet110: cifarResnet(110, false),
  plain20: cifarResnet(20, true), plain32: cifarResnet(32, true), plain44: cifarResnet(44, true), plain56: cifarResnet(56, true), plain110: cifarResnet(110, true),
  vgg_cifar: { ...cifar, head: 'classifier', paper: VGG_PAPER, description: 'VGG-16 with batch norm for 32x32 images: 13 convs, 5 pools, one fc (option depth: 11, 13, 16, 19)', build: (o) => new CifarVGG(o) },
  densenet_bc: { ...cifar, head: 'classifier', paper: `${DENSENET_PAPER}, section 4`, description: 'DenseNet-BC (L=100, k=12) for 32x32 images: 3 dense blocks, 0.8M parameters', build: (o) => new DenseNetBC(o) },
  // sequence models: inChannels 1 and inputSize (the training sequence length) describe symbol streams; numClasses is the vocabulary size
  charlm: {
    task: 'language-model', inChannels: 1, inputSize: 100, numClasses: 96, normalization: null, build: (o) => new CharLM(o),
    paper: 'Karpathy, The Unreasonable Effectiveness of Recurrent Neural Networks, 2015; Graves, Generating Sequences With Recurrent Neural Networks, 2013',
    description: 'character language model: embedding 64, 2 recurrent layers of 256 (cell lstm, gru or rnn), next-character logits',
  },
  // issue 13: token-index inputs [N, L] (inChannels 1, inputSize a typical padded length); numClasses the classes or tags
  textclassifier: {
    task: 'classification', inChannels: 1, inputSize: 400, numClasses: 2, normalization: null, build: (o) => new TextClassifier(o),
    exampleInputs: (_m, o) => [full([1, o.inputSize], 2, { dtype: 'int32' })], // word ids [N, L] (1 is padding)
    paper: 'Joulin, Grave, Bojanowski & Mikolov, Bag of Tricks for Efficient Text Classification, EACL 2017 (bag); Graves & Schmidhuber, Framewise phoneme classification with bidirectional LSTM, 2005 (bilstm)',
    description: 'text classifier: word embedding 64, mean of the embeddings (encoder bag) or a BiLSTM of 64 per direction (encoder bilstm), linear classifier',
  },
  postagger: {
    task: 'tagging', inChannels: 3, inputSize: 50, numClasses: 12, normalization: null, build: (o) => new POSTagger(o),
    exampleInputs: (m, o) => [full([1, o.inputSize, (m as POSTagger).numFeatures], 2, { dtype: 'int32' })], // token features [N, L, F]
    paper: 'Plank, Søgaard & Goldberg, Multilingual Part-of-Speech Tagging with Bidirectional LSTM Models and Auxiliary Loss, ACL 2016',
    description: 'BiLSTM part-of-speech tagger: word (64), suffix (16) and shape (4) embeddings, BiLSTM 64 per direction, tag logits per token',
  },
  // issue 14: auto-encoders and VAEs
  ae: { ...ae28, paper: AE_PAPER, description: 'stacked MLP auto-encoder 784-256-64-256-784, ReLU, linear code, sigmoid output (option sizes)', build: (o) => new AutoEncoder(o) },
  dae: { ...ae28, paper: 'Vincent, Larochelle, Bengio & Manzagol, Extracting and Composing Robust Features with Denoising Autoencoders, ICML 2008', description: 'denoising MLP auto-encoder: Gaussian (std 0.3) or masking noise on the training inputs', build: (o) => new DenoisingAutoEncoder(o) },
  sae: { ...ae28, paper: 'Ng, Sparse autoencoder, CS294A lecture notes 2011', description: 'sparse MLP auto-encoder: KL sparsity penalty (rho 0.05, beta 3) on sigmoid codes, or L1 on the codes', build: (o) => new SparseAutoEncoder(o) },
  convae: { ...ae28, paper: 'Badrinarayanan, Kendall & Cipolla, SegNet, TPAMI 2017 (max-unpooling decoder)', description: 'convolutional auto-encoder: conv+pool 16, 32; decoder max-unpools with the pooling indices, then convs', build: (o) => new ConvAutoEncoder(o, 'unpool') },
  convae_t: { ...ae28, paper: AE_PAPER, description: 'convolutional auto-encoder: conv+pool 16, 32; decoder of 2x2 stride-2 transposed convs (H, W divisible by 4)', build: (o) => new ConvAutoEncoder(o, 'transposed') },
  vae: { ...vae28, paper: VAE_PAPER, description: "variational auto-encoder of PyTorch's example: 784-400-20(mu, logvar)-400-784, ReLU, Bernoulli output", build: (o) => new VAE(o) },
  convvae: { ...vae28, paper: VAE_PAPER, description: 'convolutional VAE: two 4x4 stride-2 convs 32, 64, latent 20, two transposed convs back', build: (o) => new ConvVAE(o) },
  // issue 14: U-Net, sized for 28x28 MNIST masks (11 classes: background and the ten digits)
  unet: {
    task: 'segmentation', inChannels: 1, inputSize: 28, numClasses: 11, normalization: null,
    paper: 'Ronneberger, Fischer & Brox, U-Net: Convolutional Networks for Biomedical Image Segmentation, MICCAI 2015',
    description: 'U-Net: padded double 3x3 convs, 2 poolings (28 = 4 x 7), base width 16, transposed-conv upsampling, skip concatenation; per-pixel logits',
    build: (o) => new UNet({ ...o, inChannels: o.inChannels ?? 1, numClasses: o.numClasses ?? 11, depth: o.depth ?? 2, baseWidth: o.baseWidth ?? 16 }),
  },
  // issue 14: GANs (no classifier head; images normalized to [-1, 1], the generator's tanh range)
  gan: {
    task: 'gan', inChannels: 1, inputSize: 28, numClasses: 10, normalization: { mean: [0.5], std: [0.5] }, build: (o) => new GAN(o),
    paper: 'Goodfellow et al., Generative Adversarial Nets, NeurIPS 2014; Radford, Metz & Chintala, DCGAN, ICLR 2016',
    description: 'DCGAN-style GAN for 28x28 images: generator z(100) -> 7x7x128 -> 14x14x64 -> 28x28 tanh, conv discriminator (option arch: mlp)',
  },
  cgan: {
    task: 'cgan', inChannels: 1, inputSize: 28, numClasses: 10, normalization: { mean: [0.5], std: [0.5] }, build: (o) => new CGAN(o),
    runDefaults: { conditioning: 'concat' }, // the default until session 9; runs since record it
    paper: 'Mirza & Osindero, Conditional Generative Adversarial Nets, 2014; Miyato & Koyama, cGANs with Projection Discriminator, ICLR 2018',
    description: 'conditional DCGAN: label embedding concatenated to z; the discriminator projects a class vector onto its features (option conditioning: concat, the label as an image channel)',
  },
  // issue 13: CRNN for 14-pixel-high strips of digits (inputSize: the height); numClasses excludes the CTC blank, the last score
  crnn: {
    task: 'ctc', inChannels: 1, inputSize: 14, numClasses: 10, normalization: { mean: [0], std: [1] }, build: (o) => new CRNN(o),
    exampleInputs: (_m, o) => [zeros([1, o.inChannels, o.inputSize, 8 * o.inputSize])], // a strip 8 digits wide
    paper: 'Shi, Bai & Yao, An End-to-End Trainable Neural Network for Image-based Sequence Recognition, TPAMI 2017',
    description: 'CRNN: 3 conv+BN+ReLU stages (16, 32, 48; two 2x2 pools), columns -> BiLSTM 64 -> per-column scores of 10 digits + blank, for CTC',
  },
  // issue 13: G2P on CMUdict (inputSize: the longest decoded output; numClasses: phonemes with pad, <bos>, <eos>)
  g2p: {
    task: 'seq2seq', inChannels: 1, inputSize: 32, numClasses: 42, normalization: null, build: (o) => new G2P(o) as unknown as Layer, // forward(source, sourceLengths, targetIn): see Seq2SeqModel
    paper: 'Luong, Pham & Manning, Effective Approaches to Attention-based Neural Machine Translation, EMNLP 2015; Bahdanau, Cho & Bengio, ICLR 2015',
    description: 'grapheme-to-phoneme encoder-decoder: letter embedding 64, BiGRU 128, GRU decoder 256 with Luong (general) or Bahdanau attention',
  },
  // issue 13: the Transformer G2P (h-g2p), on the same data and task as g2p
  g2p_transformer: {
    task: 'seq2seq', inChannels: 1, inputSize: 32, numClasses: 42, normalization: null, build: (o) => new G2PTransformer(o) as unknown as Layer, // forward(source, sourceLengths, targetIn): see Seq2SeqModel
    paper: 'Vaswani et al., Attention Is All You Need, NeurIPS 2017',
    description: 'grapheme-to-phoneme Transformer: width 64, 4 heads, 2 encoder + 2 decoder post-norm layers (feed-forward 256), sinusoidal or learned positions',
  },
  // issue 13: image captioner for 64x64 grey canvases (numClasses: the caption words with <pad>, <bos>, <eos>, <unk>)
  captioner: {
    task: 'captioning', inChannels: 1, inputSize: 64, numClasses: 32, normalization: { mean: [0], std: [1] }, build: (o) => new Captioner(o) as unknown as Layer, // forward(images, targetIn): see CaptionModel
    exampleInputs: (_m, o) => [zeros([1, o.inChannels, o.inputSize, o.inputSize]), full([1, 4], 1, { dtype: 'int32' })], // an image and <bos> ... decoder inputs
    paper: 'Xu, Ba, Kiros, Cho, Courville, Salakhutdinov, Zemel & Bengio, Show, Attend and Tell: Neural Image Caption Generation with Visual Attention, ICML 2015',
    description: 'image captioner: 3 conv+BN+ReLU+pool stages (16, 32, 64) to an 8x8 feature grid, LSTM 128 decoder with soft (additive) attention over the grid, word embedding 32',
  },
  // issue 15: YOLO v1 for 96x96 detection canvases (pixels in [0, 1]); numClasses the object classes
  yolo: {
    task: 'detection', inChannels: 1, inputSize: 96, numClasses: 10, normalization: { mean: [0], std: [1] }, build: (o) => new YOLOv1(o),
    paper: 'Redmon, Divvala, Girshick & Farhadi, You Only Look Once: Unified, Real-Time Object Detection, CVPR 2016',
    description: 'YOLO v1: 4 conv+BN+leaky stages (8-64) with 2x2 pools to a 6x6 grid, a conv, fc 256, grid of 2 boxes + 10 classes per cell; sum-squared loss',
  },
  // issue 15: Faster R-CNN for 96x96 grey canvases of digits (numClasses: object classes; background is added inside)
  fasterrcnn: {
    task: 'detection', inChannels: 1, inputSize: 96, numClasses: 10, normalization: { mean: [0], std: [1] }, build: (o) => new FasterRCNN(o) as unknown as Layer, // losses(images, targets) / detect(images): see DetectionModel
    paper: 'Ren, He, Girshick & Sun, Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks, NeurIPS 2015',
    description: 'Faster R-CNN: small ResNet backbone (16/32/64, stride 8), RPN (anchors 20/32/48 x ratios 1/2/3), RoI Align 7x7, two fc 128, class-specific boxes',
  },
  // issue 17: a searched CNN; its options carry the architecture (from an architecture file: shendu train nascnn --arch FILE)
  nascnn: {
    ...small, head: '-1', build: nasCnn, searchedArchitecture: true,
    paper: 'Zoph & Le, Neural Architecture Search with Reinforcement Learning, ICLR 2017; Real, Aggarwal, Huang & Le, Regularized Evolution for Image Classifier Architecture Search, AAAI 2019',
    description: 'CNN found by neural architecture search (tune.cnnSpace): stride-2 stem, searched stages of conv/separable conv/max-pool/identity layers with optional skips, linear classifier',
  },
  // issue 15: R-CNN family on the 96x96 canvas detection set (numClasses: object classes, without background; forward: see each class)
  rcnn: {
    ...detection96, paper: 'Girshick, Donahue, Darrell & Malik, Rich feature hierarchies for accurate object detection and semantic segmentation, CVPR 2014',
    description: 'R-CNN: selective-search proposals warped to 28x28 crops, each through 3 convs (16, 32, 64) and fc 256, 256 -> softmax + class-specific boxes',
    build: (o) => new RCNN(o), exampleInputs: (m, o) => [zeros([1, o.inChannels, (m as RCNN).warpSize, (m as RCNN).warpSize])], // forward(crops): one warped crop
  },
  fastrcnn: {
    ...detection96, paper: 'Girshick, Fast R-CNN, ICCV 2015', build: (o) => new FastRCNN(o), // forward(images): the shared feature map
    description: 'Fast R-CNN: 3 convs (16, 32, 64; stride 4) once per image, selective-search RoIs pooled 7x7, fc 256, 256 -> softmax + class-specific boxes',
  },
  sppnet: {
    ...detection96, paper: 'He, Zhang, Ren & Sun, Spatial Pyramid Pooling in Deep Convolutional Networks for Visual Recognition, ECCV 2014', build: (o) => new FastRCNN({ ...o, pooling: 'spp' }),
    description: 'SPP-net head: Fast R-CNN with each RoI window pooled by a spatial pyramid of 1x1, 2x2 and 4x4 max bins',
  },
  // issue 15: YOLO v2's anchor head on yolo's backbone (h-yolov2)
  yolov2: {
    ...detection96, paper: 'Redmon & Farhadi, YOLO9000: Better, Faster, Stronger, CVPR 2017', build: (o) => new YOLOv2(o),
    description: 'YOLO v2: yolo\'s conv backbone (8-64, stride 16) and a conv anchor head (3x3 conv 128, 1x1 conv) with 5 k-means anchors per cell; sigmoid offsets, exp sizes, objectness, softmax classes',
  },
};

/** Names of the zoo's models. */
export function modelNames(): ModelName[] {
  return Object.keys(MODELS) as ModelName[];
}

/** True when `name` is a zoo model. */
export function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(MODELS, name);
}

/** The zoo entry called `name`; unknown names are refused with the list of valid ones. */
export function modelEntry<N extends ModelName>(name: N): ModelEntry<ModelOptionsMap[N]>;
export function modelEntry(name: string): ModelEntry;
export function modelEntry(name: string): ModelEntry {
  if (!isModelName(name)) throw new ValueError(`unknown model '${name}'; valid models: ${modelNames().join(', ')}`);
  return MODELS[name] as ModelEntry;
}

/** Builds the model called `name` with `opts` (its own options type when the name is a literal). */
export function createModel<N extends ModelName>(name: N, opts?: ModelOptionsMap[N]): Layer;
export function createModel(name: string, opts?: ModelOptions): Layer;
export function createModel(name: string, opts: ModelOptions = {}): Layer {
  return modelEntry(name).build(opts);
}
