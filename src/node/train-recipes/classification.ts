/**
 * The classification recipe of `shendu train`: data-set normalization, cross-entropy with the command line's
 * optimizer and scheduler, best checkpoint by validation accuracy, and a test report with accuracy, a confusion
 * matrix and a grid of misclassified images.
 * @module
 */
import { join } from 'node:path';
import { noGrad } from '../../autograd/grad-mode.js';
import { crossEntropy } from '../../nn/loss.js';
import { createOptimizer, createScheduler } from '../../optim/registry.js';
import { ConfusionMatrix } from '../../train/metrics.js';
import { createTask } from '../../train/tasks/registry.js';
import { saveConfusionMatrix, saveImageGrid } from '../pictures.js';
import { NORMALIZATION, applyPrep, normalizeBatch } from '../recipe.js';
import type { ReportInput, TaskRecipe, TestReport, TrainSetup } from './types.js';

/** The classification recipe. */
export const classificationRecipe: TaskRecipe = {
  normalization: (dataset) => NORMALIZATION[dataset] ?? { mean: [0.5], std: [0.5] },
  defaultLr: () => undefined,
  monitor: (hasValidation) => (hasValidation ? 'val_accuracy' : 'accuracy'),
  buildTask(s: TrainSetup) {
    const params = s.model.parameters().filter((p) => p.requiresGrad);
    const optimizer = createOptimizer(s.optimizer, params, { lr: s.lr, weightDecay: s.weightDecay || undefined });
    const scheduler = createScheduler(s.scheduler, optimizer, { epochs: s.epochs, stepsPerEpoch: s.stepsPerEpoch }) ?? undefined;
    return createTask('classification', s.model, { optimizer, scheduler });
  },
  report: classificationReport,
};

/** Test accuracy and loss of the final model, and the confusion-matrix and misclassified-images pictures. */
async function classificationReport({ model, test, info, out, count }: ReportInput): Promise<TestReport> {
  const numClasses = info.modelOptions.numClasses ?? info.classes.length;
  const confusion = new ConfusionMatrix({ numClasses });
  const wrongIdx: number[] = [];
  const wrongPred: number[] = [];
  let lossSum = 0;
  model.eval();
  noGrad(() => {
    for (let at = 0; at < count; at += 1000) {
      const idx = Array.from({ length: Math.min(1000, count - at) }, (_, i) => at + i);
      const [x, y] = test.batch(idx);
      const logits = model.forward(normalizeBatch(applyPrep(x, info.prep), info.norm));
      confusion.update(logits, y);
      lossSum += crossEntropy(logits, y, { reduction: 'sum' }).item();
      const pred = logits.argmax(1).toTypedArray();
      const truth = y.toTypedArray();
      for (let i = 0; i < pred.length && wrongIdx.length < 48; i++) {
        if (pred[i] !== truth[i]) {
          wrongIdx.push(idx[i]);
          wrongPred.push(pred[i]);
        }
      }
    }
  });
  const m = confusion.matrix;
  const total = m.reduce((s, r) => s + r.reduce((a, b) => a + b, 0), 0);
  const correct = m.reduce((s, r, i) => s + r[i], 0);
  await saveConfusionMatrix(m, info.classes, join(out, 'confusion'));
  if (wrongIdx.length) {
    const [imgs, labels] = test.batch(wrongIdx);
    const truth = labels.toTypedArray();
    const name = (k: number) => info.classes[k] ?? String(k);
    await saveImageGrid(imgs, wrongIdx.map((_, i) => `pred ${name(wrongPred[i])}\ntrue ${name(truth[i])}`), join(out, 'misclassified'), { nrow: 8 });
  }
  const accuracy = correct / total;
  return { metrics: { testAccuracy: accuracy, testLoss: lossSum / total }, line: `test accuracy ${(100 * accuracy).toFixed(2)}% on ${total} images` };
}
