/**
 * The architectures the NAS experiment found, as architecture files (tune's format, `saveArchitecture`):
 * `nas-best-evolution.json` and `nas-best-controller.json`, read from the experiment's JSON (so they are written
 * without searching again) with the search's space and classifier head, and its accuracies as notes. Train one:
 * `shendu train nascnn --arch docs/pictures/nas-best-evolution.json --dataset fashion-mnist`.
 *
 * Run: node dist/examples/nas-architectures.js [--json docs/pictures/nas-fashion.json] [--out docs/pictures]
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tune } from '../src/index.js';
import { saveArchitecture } from '../src/node/index.js';
import { scriptArgs } from '../src/node/script-args.js';

/** The parts of nas-fashion.ts' JSON the architecture files come from. */
export interface NasFoundResult {
  /** The search recipe: the space's stem width, the classifier head, the training recipe of each candidate. */
  recipe: { stemChannels: number; head: tune.CnnHead; lr: number; batchSize: number; epochs: number; nTrain: number; budgetEpochs: number };
  /** The best architecture of each method, retrained with fresh seeds. */
  comparison: { randomMedianTest: number; found: Record<string, { encoding: readonly number[]; searchVal: number; params: number; test: number[]; testMean: number }> };
}

const METHOD: Record<string, string> = { evolution: 'regularized evolution (Real et al. 2019)', controller: 'REINFORCE-trained LSTM controller (Zoph & Le 2017)' };

/** Writes `nas-best-<method>.json` into `outDir` for each found architecture of `result`; returns the paths. */
export function saveNasArchitectures(result: NasFoundResult, outDir: string): string[] {
  const { recipe, comparison } = result;
  // the experiment's space: cnnSpace's defaults but for the stem width
  const space = tune.cnnSpace({ stemChannels: recipe.stemChannels });
  return Object.entries(comparison.found).map(([method, f]) => {
    const path = join(outDir, `nas-best-${method}.json`);
    saveArchitecture(path, space, f.encoding, {
      head: recipe.head,
      notes: {
        foundBy: METHOD[method] ?? method, experiment: 'examples/nas-fashion.ts (Fashion-MNIST)', budgetEpochs: recipe.budgetEpochs,
        candidateRecipe: `${recipe.epochs} epoch on ${recipe.nTrain} training images, adam lr ${recipe.lr}, batch ${recipe.batchSize}`,
        searchValAccuracy: f.searchVal, retrainedTestAccuracy: f.test, params: f.params, randomMedianTestAccuracy: comparison.randomMedianTest,
      },
    });
    return path;
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const a = scriptArgs(import.meta.url, {
    json: { type: 'string', default: join('docs', 'pictures', 'nas-fashion.json') },
    out: { type: 'string', default: join('docs', 'pictures') },
  });
  const json = a.json;
  const paths = saveNasArchitectures(JSON.parse(readFileSync(json, 'utf8')) as NasFoundResult, a.out);
  console.log(`wrote ${paths.join(', ')}`);
}
