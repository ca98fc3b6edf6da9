/**
 * Training in the page: LeNet-5 on MNIST through the library's classification task, one batch per macrotask so the
 * page stays responsive (input, drawing, repaint happen between batches), with a stop that takes effect before
 * the next batch, and a test-set evaluation every few batches.
 * @module
 */
import { Generator, noGrad, optim, randperm, train, ValueError, type nn } from '../../src/index.js';
import { mnistBatch, type MnistSplit } from './data.js';

/** Options of `trainInPage`. */
export interface PageTrainingOptions {
  /** Images per batch (default 64, as `shendu train`). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3, as `shendu train`). */
  lr?: number;
  /** Evaluate on the test subset after every this many batches (default 50). */
  evalEvery?: number;
  /** Test images evaluated (the first ones of the test set; default 1000). */
  evalSize?: number;
  /** Seed of the shuffling (default 0). */
  seed?: number;
}

/** What the page hears while training runs. */
export interface TrainingEvents {
  /** After each batch: its number (1-based), its loss and its accuracy. */
  onBatch(batch: number, loss: number, trainAccuracy: number): void;
  /** After each evaluation on the test subset. */
  onEval(batch: number, testLoss: number, testAccuracy: number): void;
}

/** Gives the event loop one turn: pending input, timers and a repaint run before the next batch. */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A training run of one model in the page; `stop()` ends it before its next batch. */
export class PageTraining {
  private stopRequested = false;
  /** Batches trained so far. */
  batches = 0;
  /** The task that owns the training step (cross-entropy, Adam, accuracy). */
  readonly task: train.ClassificationTask;
  private readonly opts: Required<PageTrainingOptions>;

  /** Prepares training `model` on `trainSet`, evaluated on the start of `testSet`. */
  constructor(readonly model: nn.Layer, private readonly trainSet: MnistSplit, private readonly testSet: MnistSplit, opts: PageTrainingOptions = {}) {
    this.opts = { batchSize: 64, lr: 1e-3, evalEvery: 50, evalSize: 1000, seed: 0, ...opts };
    const { batchSize, lr, evalEvery, evalSize } = this.opts;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`PageTraining: batchSize must be a positive integer, got ${batchSize}`);
    if (!(lr > 0)) throw new ValueError(`PageTraining: lr must be positive, got ${lr}`);
    if (!Number.isInteger(evalEvery) || evalEvery < 1) throw new ValueError(`PageTraining: evalEvery must be a positive integer, got ${evalEvery}`);
    if (!Number.isInteger(evalSize) || evalSize < 1) throw new ValueError(`PageTraining: evalSize must be a positive integer, got ${evalSize}`);
    this.task = new train.ClassificationTask(model, { optimizer: new optim.Adam(model.parameters(), { lr }) });
  }

  /** Asks the run to end; it does before its next batch (or evaluation chunk). */
  stop(): void {
    this.stopRequested = true;
  }

  /** True once `stop()` was called. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Trains epoch after epoch until `stop()`, yielding to the page between batches. */
  async run(events: TrainingEvents): Promise<void> {
    const { batchSize, evalEvery, seed } = this.opts;
    const gen = new Generator(seed);
    const perEpoch = Math.floor(this.trainSet.count / batchSize);
    for (let epoch = 1; !this.stopRequested; epoch++) {
      const order = randperm(this.trainSet.count, { generator: gen }).toTypedArray() as Int32Array;
      for (let b = 0; b < perEpoch && !this.stopRequested; b++) {
        const batch = mnistBatch(this.trainSet, order.subarray(b * batchSize, (b + 1) * batchSize));
        this.model.train();
        this.task.resetMetrics('train');
        const { loss } = this.task.trainStep(batch, { epoch, batch: b + 1, batchesPerEpoch: perEpoch, step: this.batches });
        this.batches++;
        events.onBatch(this.batches, loss, this.task.metricLogs('train').accuracy);
        await yieldToPage();
        if (this.batches % evalEvery === 0 && !this.stopRequested) {
          const r = await this.evaluate();
          if (r) events.onEval(this.batches, r.loss, r.accuracy);
        }
      }
    }
  }

  /** Loss and accuracy on the first `evalSize` test images, in chunks with yields between them (null if stopped). */
  private async evaluate(): Promise<{ loss: number; accuracy: number } | null> {
    const n = Math.min(this.opts.evalSize, this.testSet.count);
    const chunk = 250;
    this.task.resetMetrics('val');
    let lossSum = 0;
    for (let at = 0; at < n; at += chunk) {
      if (this.stopRequested) return null;
      const idx = Array.from({ length: Math.min(chunk, n - at) }, (_, i) => at + i);
      this.model.eval();
      const r = noGrad(() => this.task.evalStep(mnistBatch(this.testSet, idx)));
      lossSum += r.loss * r.n;
      await yieldToPage();
    }
    this.model.train();
    return { loss: lossSum / n, accuracy: this.task.metricLogs('val').accuracy };
  }
}
