/**
 * The NAS search space and its module builder: random encodings of the CNN space decode to architectures whose
 * modules give logits of the right shape with exactly the parameters the architecture implies; inactive
 * decisions change nothing; architectures round-trip through JSON; bad spaces, encodings and architectures raise
 * ValueErrors naming what was wrong.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Generator, manualSeed, noGrad, randn, tune, ValueError } from '../../src/index.js';
import { checkErrors } from '../helpers/check-errors.js';

/** The parameter count an architecture implies (the builder's layers, counted by hand). */
function expectedParams(arch: tune.CnnArchitecture, head: 'avgpool' | 'flatten', side: number): number {
  let c = arch.stemChannels;
  let n = 1 * c * 9 + c; // stem conv 3x3 with bias
  for (const stage of arch.stages) {
    for (const l of stage) {
      const out = tune.hasWidth(l.op) ? l.channels : c;
      if (l.op === 'conv3x3' || l.op === 'conv5x5') n += c * out * (l.op === 'conv3x3' ? 9 : 25) + out;
      if (l.op === 'sep3x3' || l.op === 'sep5x5') n += c * (l.op === 'sep3x3' ? 9 : 25) + c * out + out;
      if (l.skip && out !== c) n += c * out;
      c = out;
    }
  }
  return n + (head === 'avgpool' ? c : c * side * side) * 10 + 10;
}

describe('cnnSpace', () => {
  const space = tune.cnnSpace();

  test('has per stage a depth and per layer slot an op, a width and a skip decision', () => {
    assert.equal(space.decisions.length, 2 * (1 + 3 * 3));
    assert.deepEqual(space.decisions.slice(0, 4).map((d) => d.name), ['stage0.depth', 'stage0.layer0.op', 'stage0.layer0.width', 'stage0.layer0.skip']);
    assert.deepEqual(space.decisions[1].choices, [...tune.CNN_OPS]);
  });

  test('random encodings build modules with [N, 10] logits and the parameter count their architecture implies', () => {
    const rng = new Generator(7);
    manualSeed(0);
    const x = randn([2, 1, 28, 28]);
    for (let i = 0; i < 12; i++) {
      const enc = tune.randomEncoding(space, rng);
      const arch = space.decode(enc);
      assert.equal(arch.stages.length, 2);
      arch.stages.forEach((st, s) => assert.equal(st.length, enc[s * 10] + 1, 'depth'));
      for (const head of ['avgpool', 'flatten'] as const) {
        const model = tune.buildCnn(arch, { head });
        const y = noGrad(() => model.forward(x));
        assert.deepEqual(y.shape, [2, 10], `${tune.describeCnn(arch)} (${head})`);
        assert.ok(Number.isFinite(y.sum().item()));
        const count = model.parameters().reduce((s, p) => s + p.numel(), 0);
        assert.equal(count, expectedParams(arch, head, 7), `${tune.describeCnn(arch)} (${head})`);
      }
    }
  });

  test('a layer that keeps its channels adds its input without a projection; a widening one projects it', () => {
    const arch: tune.CnnArchitecture = { stemChannels: 4, stages: [[{ op: 'conv3x3', channels: 4, skip: true }, { op: 'conv3x3', channels: 8, skip: true }]] };
    const model = tune.buildCnn(arch, { numClasses: 3, inChannels: 3 });
    const layers = model.children().filter((m): m is tune.NasCnnLayer => m instanceof tune.NasCnnLayer);
    assert.equal(layers.length, 2);
    assert.equal(layers[0].proj, null);
    assert.deepEqual(layers[1].proj?.weight.shape, [8, 4, 1, 1]);
    assert.deepEqual(noGrad(() => model.forward(randn([1, 3, 9, 9]))).shape, [1, 3]);
  });

  test('decisions that the architecture does not use are inactive and do not change it', () => {
    const rng = new Generator(3);
    for (let i = 0; i < 20; i++) {
      const enc = tune.randomEncoding(space, rng);
      const active = space.isActive!(enc);
      assert.equal(active.length, enc.length);
      const changed = enc.map((v, t) => (active[t] ? v : (v + 1) % space.decisions[t].choices.length));
      assert.deepEqual(space.decode(changed), space.decode(enc));
      assert.equal(tune.architectureKey(space, changed), tune.architectureKey(space, enc));
    }
    // depth 1 leaves layers 1 and 2 inactive; a pooling layer has no width, identity has no skip
    const enc = space.decisions.map(() => 0);
    enc[1] = tune.CNN_OPS.indexOf('maxpool3x3');
    const active = space.isActive!(enc);
    assert.deepEqual(active.slice(0, 10), [true, true, false, true, false, false, false, false, false, false]);
  });

  test('an architecture survives JSON and rebuilds the same network', () => {
    const enc = tune.randomEncoding(space, new Generator(11));
    const arch = space.decode(enc);
    const again = JSON.parse(JSON.stringify(arch)) as tune.CnnArchitecture;
    manualSeed(1);
    const a = tune.buildCnn(arch);
    manualSeed(1);
    const b = tune.buildCnn(again);
    const x = randn([1, 1, 28, 28]);
    assert.deepEqual(Array.from(noGrad(() => a.forward(x)).toTypedArray()), Array.from(noGrad(() => b.forward(x)).toTypedArray()));
  });

  test('decodeChoices names every decision', () => {
    const enc = space.decisions.map(() => 0);
    const named = tune.decodeChoices(space, enc);
    assert.equal(named['stage0.depth'], 1);
    assert.equal(named['stage1.layer2.op'], 'conv3x3');
  });
});

const space = tune.cnnSpace();
const zeros = space.decisions.map(() => 0);
const withAt = (t: number, v: unknown) => zeros.map((z, i) => (i === t ? v : z)) as number[];
const arch = (patch: Partial<tune.CnnLayerSpec>): tune.CnnArchitecture => ({ stemChannels: 4, stages: [[{ op: 'conv3x3', channels: 4, skip: false, ...patch }]] });

checkErrors('tune NAS space', [
  ['empty space', () => tune.randomEncoding({ decisions: [] }, new Generator(0)), ValueError, /^randomEncoding: space has no decisions/],
  ['decision with no choices', () => tune.randomEncoding({ decisions: [{ name: 'op', choices: [] }] }, new Generator(0)), ValueError, /^randomEncoding: decision 'op' has no choices/],
  ['repeated decision name', () => tune.checkSpace('f', { decisions: [{ name: 'a', choices: [1] }, { name: 'a', choices: [1] }] }), ValueError, /^f: decision name 'a' appears twice/],
  ['encoding too short', () => space.decode([0, 1]), ValueError, /^cnnSpace\.decode: encoding must have 20 entries \(one per decision\), got 2/],
  ['encoding not an array', () => space.decode('conv' as unknown as number[]), ValueError, /^cnnSpace\.decode: encoding must be an array of 20 choice indices, got string/],
  ['choice out of range', () => space.decode(withAt(1, 6)), ValueError, /^cnnSpace\.decode: encoding\[1\] \(decision 'stage0\.layer0\.op'\) must be an integer in \[0, 5\], got 6/],
  ['fractional choice', () => space.decode(withAt(0, 0.5)), ValueError, /encoding\[0\] \(decision 'stage0\.depth'\) must be an integer in \[0, 2\], got 0\.5/],
  ['negative choice', () => space.isActive!(withAt(3, -1)), ValueError, /^cnnSpace\.isActive: encoding\[3\] \(decision 'stage0\.layer0\.skip'\)/],
  ['no ops', () => tune.cnnSpace({ ops: [] }), ValueError, /^cnnSpace: ops is empty/],
  ['unknown op', () => tune.cnnSpace({ ops: ['conv7x7' as tune.CnnOp] }), ValueError, /^cnnSpace: unknown op 'conv7x7', expected one of conv3x3/],
  ['no widths', () => tune.cnnSpace({ widthMultipliers: [] }), ValueError, /^cnnSpace: widthMultipliers is empty/],
  ['fractional channels', () => tune.cnnSpace({ stemChannels: 5, widthMultipliers: [0.5] }), ValueError, /^cnnSpace: widthMultipliers must be positive with an integer number of channels .* got 0\.5/],
  ['zero stages', () => tune.cnnSpace({ stages: 0 }), ValueError, /^cnnSpace: stages must be a positive integer, got 0/],
  ['unknown op in an architecture', () => tune.buildCnn(arch({ op: 'conv7x7' as tune.CnnOp })), ValueError, /^buildCnn: stage 0 layer 0: op must be one of .* got "conv7x7"/],
  ['zero channels in an architecture', () => tune.buildCnn(arch({ channels: 0 })), ValueError, /^buildCnn: stage 0 layer 0: channels must be a positive integer, got 0/],
  ['empty stage', () => tune.buildCnn({ stemChannels: 4, stages: [[]] }), ValueError, /^buildCnn: stage 0 must be a non-empty array of layers/],
  ['no stages', () => tune.buildCnn({ stemChannels: 4, stages: [] }), ValueError, /^buildCnn: stages must be a non-empty array/],
  ['unknown head', () => tune.buildCnn(arch({}), { head: 'gap' as 'avgpool' }), ValueError, /^buildCnn: head must be 'avgpool' or 'flatten', got "gap"/],
  ['image too small for flatten', () => tune.buildCnn(arch({}), { head: 'flatten', imageSize: 1 }), ValueError, /^buildCnn: imageSize must be an integer >= 2\^stages = 2, got 1/],
]);
