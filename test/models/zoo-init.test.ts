/**
 * The zoo's initialization: the torchvision-layout models re-initialize their layers as torchvision's constructors
 * do (read from torchvision's resnet.py, vgg.py, densenet.py, googlenet.py), the CIFAR ResNets keep PyTorch's layer
 * defaults unless built with `init: 'he'`. Checked by the statistics of each layer (a wrong fan or gain is many
 * standard errors off; the tolerances are wide enough that no seed flakes).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValueError, manualSeed, models, type Tensor } from '../../src/index.js';

function moments(t: Tensor): { mean: number; std: number; maxAbs: number } {
  const v = t.toTypedArray();
  let s = 0;
  let m = 0;
  for (const x of v) {
    s += x;
    m = Math.max(m, Math.abs(x));
  }
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, std: Math.sqrt(ss / v.length), maxAbs: m };
}

function params(name: string, opts: Record<string, unknown> = {}): Map<string, Tensor> {
  manualSeed(0);
  return new Map(models.createModel(name as 'resnet18', opts).namedParameters());
}

/** std within 5% of `std` (layers of >= 20k weights: the sampling error is < 1%). */
function assertStd(p: Map<string, Tensor>, key: string, std: number): void {
  const t = p.get(key);
  assert.ok(t, `${key} exists`);
  const s = moments(t).std;
  assert.ok(Math.abs(s / std - 1) < 0.05, `${key}: std ${s}, expected ${std}`);
}

const isZero = (p: Map<string, Tensor>, key: string): boolean => moments(p.get(key)!).maxAbs === 0;

describe("initialization as torchvision's constructors", () => {
  test('resnet18: convs N(0, 2 / fan_out), fc keeps the default U(-1/sqrt(in), 1/sqrt(in))', () => {
    const p = params('resnet18');
    assertStd(p, 'conv1.weight', Math.sqrt(2 / (64 * 49)));
    assertStd(p, 'layer3.1.conv2.weight', Math.sqrt(2 / (256 * 9)));
    assertStd(p, 'layer2.0.downsample.0.weight', Math.sqrt(2 / 128));
    assertStd(p, 'fc.weight', 1 / Math.sqrt(512) / Math.sqrt(3));
    assert.ok(!isZero(p, 'fc.bias'));
    assert.ok(moments(p.get('bn1.weight')!).mean === 1 && isZero(p, 'bn1.bias'));
  });

  test('vgg11: convs N(0, 2 / fan_out) with zero bias; linear N(0, 0.01^2) with zero bias', () => {
    const p = params('vgg11', { numClasses: 10 });
    assertStd(p, 'features.3.weight', Math.sqrt(2 / (128 * 9)));
    assert.ok(isZero(p, 'features.3.bias'));
    assertStd(p, 'classifier.3.weight', 0.01);
    assert.ok(isZero(p, 'classifier.6.bias') && isZero(p, 'classifier.0.bias'));
  });

  test('densenet121: convs N(0, 2 / fan_in); classifier bias zero, weight default', () => {
    const p = params('densenet121');
    assertStd(p, 'features.conv0.weight', Math.sqrt(2 / (3 * 49)));
    assertStd(p, 'features.denseblock2.denselayer3.conv2.weight', Math.sqrt(2 / (128 * 9)));
    assertStd(p, 'classifier.weight', 1 / Math.sqrt(1024) / Math.sqrt(3));
    assert.ok(isZero(p, 'classifier.bias'));
  });

  test('googlenet: conv and linear weights N(0, 0.01^2) truncated at +-2 (also the auxiliary heads); linear biases default', () => {
    const p = params('googlenet');
    for (const key of ['conv1.conv.weight', 'inception4a.branch2.1.conv.weight', 'aux1.conv.conv.weight', 'aux2.fc1.weight', 'fc.weight']) assertStd(p, key, 0.01);
    assert.ok(!isZero(p, 'fc.bias'));
  });

  test("alexnet keeps PyTorch's defaults (torchvision does not re-initialize it)", () => {
    const p = params('alexnet');
    assertStd(p, 'features.3.weight', 1 / Math.sqrt(64 * 25) / Math.sqrt(3));
    assert.ok(!isZero(p, 'features.3.bias'));
  });
});

describe('the CIFAR ResNets', () => {
  test("default: PyTorch's layer defaults (as the bench twins); init 'he': convs N(0, 2 / fan_out)", () => {
    const dflt = params('resnet20', { inChannels: 1 });
    assertStd(dflt, 'layer3.2.conv1.weight', 1 / Math.sqrt(64 * 9) / Math.sqrt(3));
    const he = params('plain56', { inChannels: 1, init: 'he' });
    assertStd(he, 'layer1.0.conv1.weight', Math.sqrt(2 / (16 * 9)));
    assertStd(he, 'layer3.8.conv2.weight', Math.sqrt(2 / (64 * 9)));
  });

  test('a bad init option is a ValueError naming the choices', () => {
    assert.throws(() => models.createModel('resnet20', { init: 'xavier' as 'he' }), (e: Error) => e instanceof ValueError && /'default' or 'he'/.test(e.message) && /xavier/.test(e.message));
  });
});
