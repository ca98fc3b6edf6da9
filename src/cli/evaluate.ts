/**
 * `shendu eval <run-or-checkpoint>`: loss, accuracy and per-class precision/recall/F1 of a trained model on a
 * dataset's test split (by default the one it was trained on).
 * @module
 */
import { DATASET_NAMES, loadDataset } from '../node/datasets/index.js';
import { crossEntropy } from '../nn/loss.js';
import { DataError, ShapeError, fmtShape } from '../errors.js';
import { evaluate } from '../train/fit.js';
import { PrecisionRecallF1 } from '../train/streaming-metrics.js';
import type { Command } from './main.js';
import { BatchLoader, NORMALIZATION, openRun, requireClassifier } from '../node/recipe.js';

/** `shendu eval`. */
export const evalCommand: Command = {
  spec: {
    name: 'eval',
    summary: 'evaluate a trained run or checkpoint on a test set: loss, accuracy, per-class precision/recall/F1',
    positionals: [{ name: 'run-or-checkpoint', help: 'a run directory (uses last.safetensors) or a .safetensors file' }],
    options: {
      dataset: { type: 'string', choices: DATASET_NAMES, help: "dataset whose test split to use (default: the run's)" },
      'data-dir': { type: 'string', help: 'directory holding downloaded datasets (else $SHENDU_DATA_DIR)', metavar: 'DIR' },
    },
  },
  run(args) {
    const { model, info, file } = openRun('eval', args.positionals['run-or-checkpoint'] as string);
    requireClassifier('eval', info, file);
    const name = (args.options.dataset as string | undefined) ?? info.dataset;
    const data = loadDataset(name, { dataDir: args.options['data-dir'] as string | undefined });
    const size = info.imageSize ?? info.modelOptions.inputSize ?? 28;
    const expected = [info.modelOptions.inChannels ?? 1, size, size];
    if (data.test.inputShape.join() !== expected.join() || data.numClasses !== (info.modelOptions.numClasses ?? 10)) {
      throw new ShapeError(`eval: ${file} was trained on inputs ${fmtShape(expected)} with ${info.modelOptions.numClasses} classes; dataset '${name}' has ${fmtShape(data.test.inputShape)} with ${data.numClasses}`);
    }
    const prf = new PrecisionRecallF1({ numClasses: data.numClasses });
    const loader = new BatchLoader(data.test, 1000, NORMALIZATION[name] ?? info.norm, { prep: info.prep });
    const logs = evaluate(model, loader, { loss: crossEntropy, metrics: ['accuracy', prf] });
    if (!Number.isFinite(logs.loss)) {
      throw new DataError(`eval: the model's loss on ${name} is ${logs.loss}: its outputs are not finite, so the weights in ${file} are damaged or come from a run that diverged`);
    }
    console.log(`${file} on ${name} test (${data.test.length} images): loss ${logs.loss.toFixed(4)}, accuracy ${(100 * logs.accuracy).toFixed(2)}%`);
    const rep = prf.report();
    console.log('class'.padEnd(16) + 'precision  recall  f1      support');
    rep.support.forEach((n, k) => {
      console.log(`${(data.classes[k] ?? String(k)).slice(0, 15).padEnd(16)}${rep.precision[k].toFixed(4).padEnd(11)}${rep.recall[k].toFixed(4).padEnd(8)}${rep.f1[k].toFixed(4).padEnd(8)}${n}`);
    });
    console.log(`${'macro avg'.padEnd(16)}${rep.macro.precision.toFixed(4).padEnd(11)}${rep.macro.recall.toFixed(4).padEnd(8)}${rep.macro.f1.toFixed(4)}`);
    return 0;
  },
};
