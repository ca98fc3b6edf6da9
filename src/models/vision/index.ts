/**
 * The vision zoo: AlexNet, VGG, GoogLeNet, ResNet, DenseNet in torchvision's layouts, and the CIFAR-sized nets.
 * @module
 */
export { ImageClassifier, NamedSequential, type ZooOptions } from './common.js';
export { AlexNet, VGG, vggFeatures, VGG_CONFIGS, type AlexNetOptions, type VggOptions, type VggDepth } from './alexnet-vgg.js';
export { GoogLeNet, Inception, InceptionAux, BasicConv2d, type GoogLeNetOptions, type GoogLeNetOutputs } from './googlenet.js';
export {
  ResNet, BasicBlock, Bottleneck, resnet, resnet18, resnet34, resnet50, resnet101, resnet152, conv1x1, conv3x3, RESNET_DEPTHS,
  type ResNetDepth, type ResidualBlock,
} from './resnet.js';
export { DenseNet, DenseNetBC, DenseBlock, DenseLayer, transition, DENSENET_CONFIGS, type DenseNetOptions, type DenseNetBCOptions, type DenseNetDepth } from './densenet.js';
export { CifarResNet, CifarVGG, PlainBlock, ZeroPadShortcut, CIFAR_RESNET_DEPTHS, type CifarResNetOptions, type CifarVggOptions } from './cifar.js';
