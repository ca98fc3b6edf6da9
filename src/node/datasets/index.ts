/**
 * Datasets read from files on Node.js: MNIST, Fashion-MNIST, CIFAR-10/100, CSV tables and Boston house
 * prices, image folders, and the registry behind `shendu datasets`.
 * @module
 */
export { DATA_DIR_ENV, resolveDataDir, describeDataDir, findDataFile, readDataFile, readTextFile, packageDir, type DataDirOptions, type DatasetLocation, type DatasetSource } from './data-dir.js';
export { ImageDataset, checkLabels, type LabeledDataset, type ImageDatasetInit } from './image-dataset.js';
export { IDX_FILE_NAMES, readIdxImages, readIdxLabels, loadIdxSplit } from './idx-files.js';
export { mnist, mnistLocation, MNIST_CLASSES, MNIST_SUBDIRS, type MnistOptions } from './mnist.js';
export { fashionMnist, fashionMnistLocation, parseClothesJson, FASHION_MNIST_CLASSES, FASHION_MNIST_SUBDIRS, FASHION_PACKAGE_SPLIT } from './fashion-mnist.js';
export {
  cifar10, cifar100, cifar10Location, cifar100Location, readLabelNames,
  CIFAR10_CLASSES, CIFAR100_CLASSES, CIFAR100_COARSE_CLASSES, type CifarOptions, type Cifar100Options,
} from './cifar.js';
export { csvDataset, tabularFromCsv, bostonHousing, bostonHousingPath, TabularDataset, BOSTON_FEATURES, type CsvDatasetOptions, type TabularDatasetInit } from './tabular.js';
export {
  imageFolder, ImageFolder, loadImage, imageToTensor, decodeImageBytes, IMAGE_EXTENSIONS,
  type ImageFolderOptions, type LoadImageOptions, type DecodedImage, type ImageChannels,
} from './image-folder.js';
export { DEFAULT_MAX_PIXELS, checkPixelLimit, imageDimensions } from './image-header.js';
export {
  listDatasets, loadDataset, datasetInfo, DATASET_NAMES, BOSTON_TEST_FRACTION, BOSTON_SPLIT_SEED,
  type DatasetInfo, type LoadedDataset, type LoadDatasetOptions,
} from './registry.js';
export { emoji, emojiLocation, EmojiDataset, EMOJI_PACKAGE, EMOJI_TEST_EVERY, EMOJI_MEAN, EMOJI_STD, type EmojiInfo, type EmojiOptions } from './emoji.js';
// issue 13: text corpora for language models
export { CORPUS_NAMES, isCorpusName, corpusInfo, loadCorpus } from './corpus.js';
// issue 14: the labelled sensor-network time series (anomaly detection)
export { sensorNetwork, sensorSeries, SENSOR_NETWORK_PACKAGE, type SensorReading, type SensorSeries } from './sensor-network.js';
// issue 15: detection data (the MNIST/Fashion-MNIST canvas set)
export { canvasDetection, CANVAS_DETECTION_SEEDS, CANVAS_DETECTION_SIZES, type CanvasDetectionSetOptions } from './canvas-detection.js';
export { vocDetection, vocRoot, VocDetection, VOC_CLASSES, type VocOptions, type VocTarget, type VocImageSet } from './voc.js';
export { parseVocAnnotation, parseXml, type VocAnnotation, type VocObject, type XmlElement } from './voc-xml.js';
// issue 13: labelled text (spam, sentiment) and the POS-tagged Brown corpus
export { spamAssassin, spamAssassinSplit, mailText, seededSplit, SPAM_ASSASSIN_PACKAGE, SPAM_ASSASSIN_GROUPS, SPAM_TEST_FRACTION, SPAM_SPLIT_SEED, SPAM_CLASSES, type SpamMail, type SpamAssassinOptions, type TextSplit } from './spam-assassin.js';
export { amazonSentiment, amazonSentimentSplit, AMAZON_SENTIMENT_PACKAGE, AMAZON_SENTIMENT_FILE, SENTIMENT_TEST_FRACTION, SENTIMENT_SPLIT_SEED, SENTIMENT_CLASSES, type AmazonSentimentOptions } from './amazon-sentiment.js';
export { brown, brownSplit, brownBaseTag, universalTag, parseBrownDocument, BROWN_PACKAGE, UNIVERSAL_TAGS, BROWN_TEST_EVERY, type BrownTagset, type TaggedSentence, type BrownDocument, type BrownOptions } from './brown.js';
// issue 13: MNIST digit strings for CRNN + CTC
export { mnistStrips, type MnistStripOptions } from './mnist-strips.js';
// issue 13: CMUdict for grapheme-to-phoneme
export { cmudict, CMUDICT_PACKAGE } from './cmudict.js';
// issue 15: detection sets for shendu train (packed box targets)
export { packTargets, unpackTargets, detectionImages, loadDetectionDataset, DETECTION_DATASETS, DETECTION_DATASET_NAMES } from './detection-images.js';
// issue 13: captioning sets (MNIST / Fashion-MNIST canvases, emoji names)
export { canvasCaptions, emojiCaptions, emojiNameWords, CAPTION_CANVAS_SEEDS, type CaptionSplits, type CanvasCaptionOptions, type EmojiCaptionOptions } from './captions.js';
