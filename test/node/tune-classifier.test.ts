/**
 * ClassifierTuning: a trial trains the zoo model as `shendu train` does and reports the validation accuracy after
 * every epoch; a pruner that says stop ends training after that epoch (the trial is pruned, not trained on), and
 * the same configuration trains to the same accuracy twice (one seed for every trial); `onTrained` hands completed
 * trials' models to the caller.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setNumThreads, tune, ValueError } from '../../src/index.js';
import { ClassifierTuning, DROPOUT_MODELS, imageClassifierNames, takesDropout } from '../../src/node/index.js';
import { expectError } from '../helpers/check-errors.js';

setNumThreads(1);
const base = { model: 'lenet5', dataset: 'fashion-mnist', epochs: 3, limit: 40, valCount: 20, batchSize: 20 } as const;

test('the image classifiers and which of them take dropout', () => {
  const names = imageClassifierNames();
  for (const n of ['logistic', 'mlp', 'lenet5', 'resnet20']) assert.ok(names.includes(n as never), n);
  for (const n of ['charlm', 'textclassifier', 'vae', 'unet']) assert.ok(!names.includes(n as never), n);
  assert.ok(takesDropout('lenet5') && takesDropout('mlp') && !takesDropout('logistic') && !takesDropout('resnet20'));
  for (const n of DROPOUT_MODELS) assert.ok(names.includes(n), n);
});

test('a pruner that stops every trial after its first report: training ends after epoch 1 and the trial is pruned', async () => {
  const tuning = new ClassifierTuning({ ...base, space: tune.defaultClassifierSpace(true) });
  const always: tune.Pruner = { prune: () => true };
  const study = tune.createStudy({ direction: 'maximize', sampler: new tune.RandomSampler({ seed: 0 }), pruner: always });
  await study.optimize(tuning.objective, { nTrials: 2 });
  assert.deepEqual(study.trials.map((t) => t.state), ['pruned', 'pruned']);
  for (const t of study.trials) {
    assert.deepEqual([...t.intermediateValues.keys()], [1]);
    assert.equal(t.value, t.intermediateValues.get(1));
    assert.equal(tuning.trainings.get(t.number)!.epochs, 1);
  }
});

test('without pruning a trial trains every epoch and returns the last validation accuracy; a repeated configuration repeats it', async () => {
  const tuning = new ClassifierTuning({ ...base, epochs: 2, space: { lr: { low: 1e-3, high: 1e-3 + 1e-12 }, dropout: { low: 0.2, high: 0.2 + 1e-12 } } });
  const study = tune.createStudy({ direction: 'maximize', sampler: new tune.RandomSampler({ seed: 0 }), pruner: 'none' });
  await study.optimize(tuning.objective, { nTrials: 2 });
  const [a, b] = study.trials;
  assert.equal(a.state, 'complete');
  assert.deepEqual([...a.intermediateValues.keys()], [1, 2]);
  assert.equal(a.value, a.intermediateValues.get(2));
  assert.ok(a.value! >= 0 && a.value! <= 1);
  assert.equal(tuning.trainCount, 40);
  assert.equal(tuning.valCount, 20);
  // the draws differ by at most 1e-12, far below what changes a trained LeNet's 20 validation answers
  assert.equal(b.value, a.value);
});

test('bad setups are ValueErrors naming the option', () => {
  expectError(() => new ClassifierTuning({ ...base, model: 'charlm', space: tune.defaultClassifierSpace(false) }), ValueError, /^ClassifierTuning: model must be a zoo image classifier \(logistic, mlp, lenet5, .*\), got 'charlm'$/);
  expectError(() => new ClassifierTuning({ ...base, dataset: 'mnits', space: tune.defaultClassifierSpace(false) }), ValueError, /^ClassifierTuning: unknown dataset 'mnits'; valid: /);
  expectError(() => new ClassifierTuning({ ...base, epochs: 0, space: tune.defaultClassifierSpace(false) }), ValueError, /^ClassifierTuning: epochs must be an integer >= 1, got 0$/);
  expectError(() => new ClassifierTuning({ ...base, model: 'logistic', space: tune.defaultClassifierSpace(true) }), ValueError, /^ClassifierTuning: the space has 'dropout' but logistic has no dropout option/);
  expectError(() => new ClassifierTuning({ ...base, optimizer: 'adamm', space: tune.defaultClassifierSpace(false) }), ValueError, /^ClassifierTuning: unknown optimizer 'adamm'; valid: sgd, /);
  expectError(() => new ClassifierTuning({ ...base, valCount: 0, space: tune.defaultClassifierSpace(false) }), ValueError, /^ClassifierTuning: valCount must be in 1\.\.59999 \(tuning needs validation images\), got 0$/);
});

test('onTrained gets the model and record of each completed trial, and is not called for a pruned one', async () => {
  const seen: { number: number; acc: number; params: number }[] = [];
  const tuning = new ClassifierTuning({
    ...base, epochs: 1, space: { lr: { low: 1e-3, high: 1e-2, log: true } },
    onTrained: (trial, model, tr) => seen.push({ number: trial.number, acc: tr.valAccuracy.at(-1)!, params: model.parameters().length }),
  });
  const study = tune.createStudy({ direction: 'maximize', sampler: new tune.RandomSampler({ seed: 0 }), pruner: 'none' });
  await study.optimize(tuning.objective, { nTrials: 2 });
  assert.deepEqual(seen.map((s) => s.number), [0, 1]);
  for (const s of seen) assert.equal(s.acc, study.trials[s.number].value);
  assert.ok(seen.every((s) => s.params > 0));
  const pruned = new ClassifierTuning({ ...base, epochs: 2, space: { lr: { low: 1e-3, high: 1e-2 } }, onTrained: () => assert.fail('called for a pruned trial') });
  const always: tune.Pruner = { prune: () => true };
  await tune.createStudy({ direction: 'maximize', sampler: new tune.RandomSampler({ seed: 1 }), pruner: always }).optimize(pruned.objective, { nTrials: 1 });
});
