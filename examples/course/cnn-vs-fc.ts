/**
 * Claim (chapter 5.1): on images a convolutional net beats a fully connected one with far fewer parameters, because
 * it shares one small filter over every position; and one fully connected layer of 1000 units on a 1000x1000 image
 * already needs about 10^9 weights. A 784-1000-10 MLP and a two-conv-layer CNN are trained on the same MNIST
 * images with the same optimizer; `nn.summary` counts both nets' parameters. For the course's example it counts a
 * 1000-unit FC layer on square images of growing side (the largest it can allocate here) and the CNN on a real
 * 1000x1000 input; since a Linear layer owns exactly in·out + out parameters (checked on each measured side), the
 * 1000x1000 FC layer's count is that formula at in = 10^6 — its 4 GB of float32 weights are not allocated.
 * Run: npm run build && node dist/examples/course/cnn-vs-fc.js [--quick] [--out course-report]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, Generator, TensorDataset, manualSeed, nn, optim } from '../../src/index.js';
import { saveLineChart } from '../../src/node/index.js';
import { accuracyOf, imageSubset, trainEpoch } from './data.js';
import { isMain, runStandalone, type Experiment } from './experiment.js';

const HIDDEN = 1000;

function mlp(side: number): nn.Sequential {
  return new nn.Sequential(new nn.Flatten(), new nn.Linear(side * side, HIDDEN), new nn.ReLU(), new nn.Linear(HIDDEN, 10));
}

/** Two 5x5 conv layers (16 and 32 filters), each followed by 2x2 max pooling, then one linear layer. */
function cnn(): nn.Sequential {
  return new nn.Sequential(...convLayers(), new nn.Flatten(), new nn.Linear(32 * 7 * 7, 10));
}

function convLayers(): nn.Sequential[] {
  return [
    new nn.Sequential(new nn.Conv2d(1, 16, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2)),
    new nn.Sequential(new nn.Conv2d(16, 32, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2)),
  ];
}

export const experiment: Experiment = {
  name: 'cnn-vs-fc',
  chapter: '5.1 Convolutional networks: why convolution',
  claim: 'A CNN beats a fully connected net on images with far fewer parameters; one FC layer of 1000 units on a 1000x1000 image needs about 10^9 weights.',
  async run({ quick, outDir }) {
    const n = quick ? 2000 : 10000;
    const epochs = quick ? 2 : 4;
    const train = imageSubset(n);
    const test = imageSubset(quick ? 1000 : 10000, { train: false });
    const nets: Record<string, () => nn.Sequential> = { 'MLP 784-1000-10': () => mlp(28), CNN: cnn };
    const params: Record<string, number> = {};
    const testAccuracy: Record<string, number> = {};
    const curves: Record<string, number[]> = {};
    for (const [name, make] of Object.entries(nets)) {
      manualSeed(0);
      const model = make();
      params[name] = nn.summary(model, [1, 1, 28, 28]).totalParams;
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const loader = new DataLoader(new TensorDataset(train.x, train.y), { batchSize: 64, shuffle: true, generator: new Generator(1) });
      curves[name] = [];
      for (let e = 0; e < epochs; e++) {
        model.train();
        trainEpoch(model, opt, loader);
        model.eval();
        curves[name].push(accuracyOf(model.forward(test.x), test.y));
      }
      testAccuracy[name] = curves[name][epochs - 1];
    }
    // the course's example: one FC layer of 1000 units on a side x side image, counted by nn.summary on a real layer
    const sides = quick ? [32, 64, 128] : [32, 64, 128, 256];
    const fcParams = sides.map((s) => nn.summary(new nn.Linear(s * s, HIDDEN), [1, s * s]).totalParams);
    const formula = (s: number) => s * s * HIDDEN + HIDDEN;
    const formulaExact = sides.every((s, i) => fcParams[i] === formula(s));
    const fc1000 = formula(1000);
    // conv parameters do not depend on the image side; the full mode runs the conv layers on a real 1000x1000 image
    const cnnSide = quick ? 128 : 1000;
    const cnnOn1000 = nn.summary(new nn.Sequential(...convLayers()), [1, 1, cnnSide, cnnSide]);
    await saveLineChart(Object.keys(nets).map((name) => ({ name: `${name.split(' ')[0]} (${Math.round(params[name] / 1000)}k)`, x: curves[name].map((_, i) => i + 1), y: curves[name] })),
      join(outDir, 'cnn-vs-fc-accuracy'),
      { title: `MNIST, ${n} training images, Adam lr 1e-3: test accuracy`, xTitle: 'epoch', yTitle: 'test accuracy', points: true, width: 420 });
    await saveLineChart([
      { name: 'FC, nn.summary', x: sides, y: fcParams },
      { name: 'FC, in·1000+1000', x: [...sides, 1000], y: [...sides, 1000].map(formula) },
      { name: 'CNN conv layers', x: [...sides, 1000], y: [...sides, 1000].map(() => cnnOn1000.totalParams) },
    ], join(outDir, 'cnn-vs-fc-parameters'),
    { title: 'Parameters against image side', xTitle: 'image side (pixels)', yTitle: 'parameters', xScale: 'log', yScale: 'log', points: true, width: 420 });
    const [fcName, cnnName] = Object.keys(nets);
    const ratio = params[fcName] / params[cnnName];
    return {
      numbers: { images: n, epochs, params, testAccuracy, accuracyPerEpoch: curves, fcSides: sides, fcParamsBySummary: fcParams, fcLayerParamsOn1000x1000: fc1000, cnnConvParams: cnnOn1000.totalParams, cnnConvCountedOnSide: cnnSide },
      figures: [
        { file: 'cnn-vs-fc-accuracy.png', caption: 'Test accuracy per epoch of the MLP and the CNN trained on the same MNIST images.' },
        { file: 'cnn-vs-fc-parameters.png', caption: 'Parameters of one 1000-unit FC layer against image side (measured by nn.summary, then the exact formula to 1000x1000) and of the CNN\'s conv layers, which do not depend on the side.' },
      ],
      holds: testAccuracy[cnnName] > testAccuracy[fcName] && ratio > 10 && formulaExact && fc1000 > 1e9,
      finding: `the CNN reaches ${(100 * testAccuracy[cnnName]).toFixed(1)}% test accuracy with ${params[cnnName].toLocaleString('en-US')} parameters, the MLP ${(100 * testAccuracy[fcName]).toFixed(1)}% with ${params[fcName].toLocaleString('en-US')} (${ratio.toFixed(0)}x more); ` +
        `one 1000-unit FC layer on a 1000x1000 image has ${fc1000.toLocaleString('en-US')} parameters (nn.summary agrees with in·1000 + 1000 on sides ${sides.join(', ')}), the CNN's conv layers ${cnnOn1000.totalParams.toLocaleString('en-US')} (counted on a ${cnnSide}x${cnnSide} image).`,
    };
  },
};

if (isMain(import.meta.url)) await runStandalone(experiment, import.meta.url);
