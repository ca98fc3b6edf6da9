/**
 * The small conv net of tools/make_viz_fixtures.py, with the same formula-filled weights (no weight file), and the
 * fixture's input: shared by the feature-map and attribution tests.
 */
import { readFileSync } from 'node:fs';
import { nn, tensor, type Tensor } from '../../src/index.js';
import { formulaState, uniform01 } from '../models/zoo-weights.js';

/** One expected map of the fixture. */
export interface AttributionCase {
  kind: 'saliency' | 'gradCam'; layer?: string; classIndex: number | null; used: number; map: number[];
}

/** test/fixtures/viz/attribution.json. */
export const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/viz/attribution.json', import.meta.url), 'utf8')) as {
  inputSize: number; logits: number[]; cases: AttributionCase[];
};

/** The net, layer for layer as the script's (Sequential names '0'..'10'), weights loaded, in eval mode. */
export function vizNet(): nn.Sequential {
  const model = new nn.Sequential(
    new nn.Conv2d(3, 4, 3, { padding: 1 }), new nn.ReLU(),
    new nn.Conv2d(4, 6, 3, { padding: 1 }), new nn.BatchNorm2d(6), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 8, 3), new nn.ReLU(),
    new nn.AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(8, 5),
  );
  model.loadStateDict(formulaState(model));
  return model.eval();
}

/** The fixture's input image [3, S, S], values 2u - 1. */
export function vizInput(): Tensor {
  const s = fixture.inputSize;
  return tensor(Float32Array.from(uniform01('viz-input', 3 * s * s), (u) => 2 * u - 1), { shape: [3, s, s], dtype: 'float32' });
}
