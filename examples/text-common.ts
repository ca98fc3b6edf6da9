/**
 * What the text examples (spam, sentiment, pos-brown) share: arguments, the training loop around fitTask with a
 * line per epoch, predictions on a held-out loader, binary F1, and the JSON files the PyTorch twins read and the
 * results they write.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { noGrad, train, type Tensor, type nn } from '../src/index.js';

/** Trains `task` for `epochs` on `trainLoader`, printing a line per epoch; returns the seconds it took. */
export function trainEpochs(task: train.Task, trainLoader: Iterable<unknown>, epochs: number, label: string): number {
  const t0 = performance.now();
  train.fitTask(task, {
    trainLoader, epochs,
    callbacks: [{
      onBatchEnd: (b, logs) => {
        if (b % 50 === 0) console.log(`    ${label} batch ${b}: loss ${logs.loss.toFixed(4)}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      },
      onEpochEnd: (e, logs) => console.log(`  ${label} epoch ${e}: loss ${logs.loss.toFixed(4)}${logs.accuracy !== undefined ? `, train accuracy ${logs.accuracy.toFixed(4)}` : ''}, ${(logs.time as number).toFixed(1)} s`) }],
  });
  return (performance.now() - t0) / 1000;
}

/** Arg-max predictions of `model` on every batch of `loader` ([inputs, targets]), with the targets, in loader order. */
export function predict(model: nn.Module & { forward(x: Tensor): Tensor }, loader: Iterable<[Tensor, Tensor]>): { pred: number[]; target: number[] } {
  const pred: number[] = [];
  const target: number[] = [];
  model.eval();
  noGrad(() => {
    for (const [x, y] of loader) {
      const logits = model.forward(x);
      const p = logits.argmax(logits.ndim - 1).toTypedArray();
      const t = y.toTypedArray();
      for (let i = 0; i < t.length; i++) {
        if (t[i] === -100) continue;
        pred.push(p[i]);
        target.push(t[i]);
      }
    }
  });
  model.train();
  return { pred, target };
}

/** Accuracy of predictions. */
export function accuracy(pred: readonly number[], target: readonly number[]): number {
  return pred.filter((p, i) => p === target[i]).length / target.length;
}

/** Precision, recall and F1 of class `positive`. */
export function binaryF1(pred: readonly number[], target: readonly number[], positive = 1): { precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  pred.forEach((p, i) => {
    if (p === positive && target[i] === positive) tp++;
    else if (p === positive) fp++;
    else if (target[i] === positive) fn++;
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** Writes `value` as JSON (creating the folder). */
export function writeJson(path: string, value: unknown, pretty = true): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, pretty ? 2 : undefined) + '\n');
}
