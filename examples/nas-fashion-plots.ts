/**
 * The pictures of the NAS experiment, drawn from its JSON (so they can be redrawn without searching again):
 * `nas-controller.png` (each sampled architecture's reward and the moving-average baseline), `nas-evolution.png`
 * (each candidate's accuracy and the population's best and mean as candidates are evaluated) and `nas-random.png`
 * (test accuracies of the random architectures, their median dashed, and the retrained found architectures).
 *
 * Run: node dist/examples/nas-fashion-plots.js [--json docs/pictures/nas-fashion.json] [--out docs/pictures]
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { tune } from '../src/index.js';
import { savePicture } from '../src/node/index.js';
import { lineChartSpec, type VegaLiteSpec } from '../src/viz/index.js';
import { scriptArgs } from '../src/node/script-args.js';

/** What nas-fashion.ts writes (the parts the pictures read). */
export interface NasFashionResult {
  /** The recipe: budget in epochs per method, training images and epochs per candidate. */
  recipe: { budgetEpochs: number; nTrain: number; epochs: number };
  /** Random architectures' test accuracies and the retrained found architectures' (one per seed). */
  comparison: { randomMedianTest: number; randomTest: number[]; found: Record<'evolution' | 'controller', { test: number[] }> };
  /** Every evolution candidate (trace: populationBest, populationMean). */
  evolution: tune.NasCandidate[];
  /** Every controller candidate (trace: baseline). */
  controller: tune.NasCandidate[];
}

/** Writes the three PNGs (and SVGs) of `result` into `outDir`; returns their PNG paths. */
export async function saveNasPictures(result: NasFashionResult, outDir: string): Promise<string[]> {
  const { recipe, comparison, evolution, controller } = result;
  const xs = (cs: tune.NasCandidate[]) => cs.map((c) => c.index + 1);
  const a = await savePicture(lineChartSpec([
    { name: 'reward', x: xs(controller), y: controller.map((c) => c.reward) },
    { name: 'baseline', x: xs(controller), y: controller.map((c) => c.trace.baseline) },
  ], { title: `RNN controller (REINFORCE), ${recipe.budgetEpochs} trained epochs: validation accuracy and its moving average`, xTitle: 'sampled architecture', yTitle: 'validation accuracy', width: 560, height: 260 }), join(outDir, 'nas-controller'));
  const b = await savePicture(lineChartSpec([
    { name: 'candidate', x: xs(evolution), y: evolution.map((c) => c.reward) },
    { name: 'pop. best', x: xs(evolution), y: evolution.map((c) => c.trace.populationBest) },
    { name: 'pop. mean', x: xs(evolution), y: evolution.map((c) => c.trace.populationMean) },
  ], { title: `Regularized evolution, ${recipe.budgetEpochs} trained epochs`, xTitle: 'candidates evaluated', yTitle: 'validation accuracy', width: 560, height: 260, colors: ['#bab0ac', '#e45756', '#4c78a8'] }), join(outDir, 'nas-evolution'));
  const groups = [`random (N=${comparison.randomTest.length})`, 'evolution best', 'controller best'];
  const rows = [
    ...comparison.randomTest.map((acc) => ({ acc: 100 * acc, group: groups[0] })),
    ...comparison.found.evolution.test.map((acc) => ({ acc: 100 * acc, group: groups[1] })),
    ...comparison.found.controller.test.map((acc) => ({ acc: 100 * acc, group: groups[2] })),
  ];
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json', background: 'white', width: 520, height: 150,
    title: { text: `Test accuracy, same recipe (${recipe.epochs} epoch on ${recipe.nTrain} images)`, subtitle: `dashed: median of the random architectures, ${(100 * comparison.randomMedianTest).toFixed(1)}%; found ones retrained with fresh seeds` },
    layer: [
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 80, opacity: 0.8 }, encoding: {
        x: { field: 'acc', type: 'quantitative', title: 'test accuracy (%)', scale: { zero: false } },
        y: { field: 'group', type: 'nominal', title: null, sort: groups, axis: { labelLimit: 200 } },
        color: { field: 'group', type: 'nominal', legend: null, scale: { domain: groups, range: ['#4c78a8', '#e45756', '#54a24b'] } },
        shape: { field: 'group', type: 'nominal', legend: null, scale: { domain: groups, range: ['circle', 'triangle-up', 'diamond'] } },
      } },
      { data: { values: [{ acc: 100 * comparison.randomMedianTest }] }, mark: { type: 'rule', strokeDash: [5, 4], color: '#4c78a8' }, encoding: { x: { field: 'acc', type: 'quantitative' } } },
    ],
  } as unknown as VegaLiteSpec;
  const c = await savePicture(spec, join(outDir, 'nas-random'));
  return [a.png, b.png, c.png];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const a = scriptArgs(import.meta.url, {
    json: { type: 'string', default: join('docs', 'pictures', 'nas-fashion.json') },
    out: { type: 'string', default: join('docs', 'pictures') },
  });
  const json = a.json;
  const pngs = await saveNasPictures(JSON.parse(readFileSync(json, 'utf8')) as NasFashionResult, a.out);
  console.log(`wrote ${pngs.join(', ')}`);
}
