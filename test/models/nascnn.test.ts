/**
 * The zoo's nascnn and NAS architecture files: a found architecture survives the file (save, load, rebuild the
 * same network), the zoo builds it with the run's options, and bad files raise DataErrors naming the bad field.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DataError, ValueError, manualSeed, models, noGrad, randn, tune } from '../../src/index.js';
import { loadArchitecture, saveArchitecture } from '../../src/node/index.js';
import { expectError } from '../helpers/check-errors.js';
import { workDir } from '../cli/helpers.js';

// the committed files, from dist/test/<dir>/ back to the repository root
const PICTURES = new URL('../../../docs/pictures/', import.meta.url).pathname;
const work = workDir('shendu-nascnn-');
const space = tune.cnnSpace({ stemChannels: 8 });
// the evolution-found architecture of docs/pictures/nas-fashion.json
const EVOLUTION = [1, 1, 2, 1, 5, 1, 1, 4, 2, 1, 1, 0, 1, 1, 0, 2, 1, 5, 0, 1];

describe('architecture files', () => {
  test('save then load gives back the space, the encoding, the architecture, head and notes', () => {
    const path = join(work, 'sub', 'best.json');
    const written = saveArchitecture(path, space, EVOLUTION, { head: 'flatten', notes: { searchVal: 0.76 } });
    assert.deepEqual(readdirSync(join(work, 'sub')), ['best.json'], 'no temporary file is left beside it');
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), written);
    assert.equal(written.description, 'stem8 | conv5x5-16+skip, identity | conv3x3-16+skip, conv3x3-32+skip');
    assert.equal(written.decisions['stage0.layer0.op'], 'conv5x5');
    const a = loadArchitecture(path);
    assert.deepEqual(a.encoding, EVOLUTION);
    assert.deepEqual(a.architecture, space.decode(EVOLUTION));
    assert.deepEqual(a.space.options, space.options);
    assert.equal(a.head, 'flatten');
    assert.deepEqual(a.notes, { searchVal: 0.76 });
    // another space's settings come back too, and an encoding of it round-trips
    const other = tune.cnnSpace({ stages: 3, maxLayers: 2, ops: ['sep3x3', 'identity'], widthMultipliers: [1, 2], stemChannels: 4 });
    const enc = [1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1].slice(0, other.decisions.length);
    const b = tune.parseArchitecture(tune.architectureToJson(other, enc));
    assert.deepEqual([b.encoding, b.space.options, b.head], [enc, other.options, undefined]);
  });

  test('the committed files of the experiment load and describe its found architectures', () => {
    const found = JSON.parse(readFileSync(join(PICTURES, 'nas-fashion.json'), 'utf8')).comparison.found;
    for (const method of ['evolution', 'controller']) {
      const a = loadArchitecture(join(PICTURES, `nas-best-${method}.json`));
      assert.deepEqual(a.encoding, found[method].encoding, method);
      assert.equal(tune.describeCnn(a.architecture), found[method].architecture, method);
      assert.equal(a.head, 'flatten');
    }
  });

  test('bad files raise DataErrors naming the field', () => {
    const good = () => tune.architectureToJson(space, EVOLUTION, { head: 'flatten' }) as unknown as Record<string, unknown>;
    const edit = (f: (j: Record<string, unknown>) => void) => {
      const j = JSON.parse(JSON.stringify(good()));
      f(j);
      return j;
    };
    const cases: [string, unknown, RegExp][] = [
      ['not an object', [1, 2], /the file must be a JSON object, got an array/],
      ['wrong format', edit((j) => (j.format = 'onnx')), /format must be 'shendu-nas-architecture', got "onnx"/],
      ['wrong version', edit((j) => (j.version = 2)), /version must be 1 \(the version this shendu reads\), got 2/],
      ['missing version', edit((j) => delete j.version), /version must be 1 .*got nothing/],
      ['missing space', edit((j) => delete j.space), /space must be an object \{name, options\}, got nothing/],
      ['unknown space', edit((j) => ((j.space as { name: string }).name = 'rnn')), /space.name must be 'cnn' .*got "rnn"/],
      ['unknown op in the space', edit((j) => ((j.space as { options: { ops: string[] } }).options.ops[0] = 'conv7x7')), /space.options are not valid: cnnSpace: unknown op 'conv7x7'/],
      ['missing decisions', edit((j) => delete j.decisions), /decisions must be an object of decision name -> chosen value, got nothing/],
      ['missing decision', edit((j) => delete (j.decisions as Record<string, unknown>)['stage1.layer0.skip']), /decisions\['stage1.layer0.skip'\] is missing/],
      ['unknown op', edit((j) => ((j.decisions as Record<string, unknown>)['stage0.layer0.op'] = 'conv7x7')), /decisions\['stage0.layer0.op'\] must be one of "conv3x3", "conv5x5", .*got "conv7x7"/],
      ['width not offered', edit((j) => ((j.decisions as Record<string, unknown>)['stage0.layer0.width'] = 3)), /decisions\['stage0.layer0.width'\] must be one of 0.5, 1, 2, got 3/],
      ['unknown decision', edit((j) => ((j.decisions as Record<string, unknown>)['stage2.depth'] = 1)), /decisions\['stage2.depth'\] is not a decision of this space/],
      ['missing architecture', edit((j) => delete j.architecture), /architecture is missing/],
      ['architecture disagrees', edit((j) => ((j.architecture as { stemChannels: number }).stemChannels = 16)), /architecture disagrees with the decisions: they give stem8 \| conv5x5-16\+skip.*, the file has stem16/],
      ['bad head', edit((j) => (j.head = 'gap')), /head must be one of avgpool, flatten, got "gap"/],
      ['bad notes', edit((j) => (j.notes = 'x')), /notes must be an object, got "x"/],
    ];
    for (const [label, json, re] of cases) {
      expectError(() => tune.parseArchitecture(json, 'a.json'), DataError, new RegExp(`^parseArchitecture: a\\.json: ${re.source}`), label);
    }
    // through the file: missing, not JSON, invalid (the path named)
    expectError(() => loadArchitecture(join(work, 'nothing.json')), DataError, /^loadArchitecture: cannot read .*nothing\.json/);
    writeFileSync(join(work, 'torn.json'), '{"format": "shendu-nas-arch');
    expectError(() => loadArchitecture(join(work, 'torn.json')), DataError, /^loadArchitecture: .*torn\.json is not valid JSON/);
    writeFileSync(join(work, 'v2.json'), JSON.stringify(edit((j) => (j.version = 2))));
    expectError(() => loadArchitecture(join(work, 'v2.json')), DataError, /^parseArchitecture: .*v2\.json: version must be 1/);
    // writing: a bad encoding or head is refused before anything is written
    expectError(() => saveArchitecture(join(work, 'bad.json'), space, [9, ...EVOLUTION.slice(1)]), ValueError, /^architectureToJson: encoding\[0\] \(decision 'stage0.depth'\) must be an integer in \[0, 2\], got 9/);
    expectError(() => saveArchitecture(join(work, 'bad.json'), space, EVOLUTION, { head: 'gap' as tune.CnnHead }), ValueError, /^architectureToJson: head must be one of avgpool, flatten, got "gap"/);
    assert.throws(() => readFileSync(join(work, 'bad.json')), /ENOENT/);
  });
});

describe('zoo nascnn', () => {
  test('builds the architecture with the run options: logits [N, numClasses], the flatten head sized by inputSize', () => {
    manualSeed(0);
    const arch = space.decode(EVOLUTION);
    const m = models.createModel('nascnn', { architecture: arch, head: 'flatten', inChannels: 3, numClasses: 7, inputSize: 32 }).eval();
    const y = noGrad(() => m.forward(randn([2, 3, 32, 32])));
    assert.deepEqual(y.shape, [2, 7]);
    // the same parameter count as the experiment's network (1 channel, 10 classes, 28x28, flatten head)
    const n = models.createModel('nascnn', { architecture: arch, head: 'flatten' }).parameters().reduce((s, p) => s + p.numel(), 0);
    assert.equal(n, 26586);
    const e = models.modelEntry('nascnn');
    assert.deepEqual([e.task, e.inChannels, e.inputSize, e.numClasses, e.head], ['classification', 1, 28, 10, '-1']);
    // the head the zoo names is the classifier, which fine-tuning replaces
    models.replaceHead(m, 4);
    assert.deepEqual(noGrad(() => m.forward(randn([1, 3, 32, 32]))).shape, [1, 4]);
    // the options are plain JSON: a round trip through the run metadata builds the same network
    const opts = JSON.parse(JSON.stringify({ ...models.nasCnnOptions(loadArchitecture(join(PICTURES, 'nas-best-evolution.json'))), inputSize: 28 }));
    assert.deepEqual(Object.keys(models.createModel('nascnn', opts).stateDict()), Object.keys(models.createModel('nascnn', { architecture: arch, head: 'flatten' }).stateDict()));
  });

  test('without an architecture, or with a bad one, it raises a ValueError', () => {
    expectError(() => models.createModel('nascnn'), ValueError, /^nascnn: options.architecture is required/);
    const arch = space.decode(EVOLUTION);
    const badOp = { ...arch, stages: [[{ op: 'conv7x7', channels: 8, skip: false }]] } as unknown as tune.CnnArchitecture;
    expectError(() => models.createModel('nascnn', { architecture: badOp }), ValueError, /^buildCnn: stage 0 layer 0: op must be one of .*got "conv7x7"/);
    expectError(() => models.createModel('nascnn', { architecture: arch, head: 'flatten', inputSize: 2 }), ValueError, /^buildCnn: imageSize must be an integer >= 2\^stages = 4, got 2/);
  });
});
