/**
 * The `shendu` command end to end, as a user runs it: usage errors (exit 2, one line naming the culprit and the
 * choices), runtime errors (exit 1, no stack), and a tiny train -> eval -> predict -> resume on real MNIST.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { encode } from 'fast-png';
import { decodeSafetensors } from '../../src/index.js';
import { mnist } from '../../src/node/index.js';
import { cli, run, workDir } from './helpers.js';

const work = workDir('shendu-cli-');

describe('usage errors exit 2 with one line naming the culprit and the valid choices', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /^shendu: unknown command 'frobnicate'; valid commands: train, eval, predict, summary, datasets, visualize, sample, export, serve, detect, tune\n$/],
    [['train', 'lenet7'], /^shendu train: unknown model 'lenet7'; valid choices: logistic, mlp, lenet5, alexnet, vgg11, .*, resnet152, .*, densenet_bc, charlm, .*, cgan(, \w+)*\n$/],
    [['train', 'lenet5', '--dataset', 'imagenet'], /^shendu train: invalid value 'imagenet' for --dataset; valid choices: mnist, fashion-mnist, cifar10, cifar100, emoji, boston, moby-dick, canvas-mnist, canvas-fashion-mnist\n$/],
    [['train', 'lenet5', '--optimizer', 'lbfgs'], /^shendu train: invalid value 'lbfgs' for --optimizer; valid choices: sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam, radam, asgd, rprop\n$/],
    [['train', 'lenet5', '--epochs', 'ten'], /^shendu train: --epochs needs an integer, got 'ten'\n$/],
    [['train', 'lenet5', '--colour', 'red'], /^shendu train: unknown option '--colour'; valid options: --dataset, --epochs, .*--data-dir, --backend, --threads, --cell, .*--dropout, --arch\n$/],
    [['summary'], /^shendu summary: missing <model>/],
    [['predict', 'runs/x'], /^shendu predict: missing <image>/],
  ];
  for (const [args, re] of cases) {
    test(args.join(' '), () => {
      const r = run(...args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
    });
  }
});

test('runtime failures exit 1 with the typed error and no stack trace (unless --verbose)', () => {
  const r = run('eval', join(work, 'nothing-here.safetensors'));
  assert.equal(r.code, 1);
  assert.match(r.err, /^shendu eval: DataError: eval: no checkpoint at .*nothing-here\.safetensors/);
  assert.doesNotMatch(r.err, /\n\s+at /);
  const v = run('eval', join(work, 'nothing-here.safetensors'), '--verbose');
  assert.equal(v.code, 1);
  assert.match(v.err, /\n\s+at /);
});

test('--help on the command and each subcommand', () => {
  assert.match(run('--help').out, /commands:\n {2}train/);
  const h = run('train', '--help');
  assert.equal(h.code, 0);
  assert.match(h.out, /usage: shendu train <model> \[options\]/);
  assert.match(h.out, /--optimizer S +optimizer \(one of sgd, momentum/);
});

test('summary and datasets', () => {
  const s = run('summary', 'lenet5');
  assert.equal(s.code, 0);
  assert.match(s.out, /Total params: 61,706/);
  const d = run('datasets');
  assert.equal(d.code, 0);
  assert.match(d.out, /^mnist \(classification, available\)/m);
  assert.match(d.out, /^cifar10 \(classification, not available\)/m);
  assert.match(d.out, /^moby-dick \(text corpus for language models, available\)/m);
});

test('summary takes each model family its own input: symbols for charlm, latents (and a label) for GANs, tokens for text models', () => {
  const cases: [string, RegExp][] = [
    ['charlm', /Total params: 886,880/], ['gan', /Total params: 898,305[^]*generator's forward pass/], ['cgan', /Total params: 1,023,845/],
    ['vae', /Total params: 652,824/], ['unet', /Input shape: \[1, 1, 28, 28\]/],
    // word ids, token features and a strip of digits (ModelEntry.exampleInputs)
    ['textclassifier', /Input shape: \[1, 400\]/], ['postagger', /Input shape: \[1, 50, 3\]/], ['crnn', /Input shape: \[1, 1, 14, 112\]/],
  ];
  for (const [name, re] of cases) {
    const r = run('summary', name);
    assert.equal(r.code, 0, `${name}: ${r.err}`);
    assert.match(r.out, re, name);
  }
});

describe('train -> eval -> predict -> resume on a slice of real MNIST', () => {
  const out = join(work, 'run');
  const quick = ['--limit', '512', '--test-limit', '500', '--batch-size', '64', '--seed', '3'];

  test('train writes weights, state, logs and pictures, and reports the test accuracy', () => {
    const r = run('train', 'mlp', '--epochs', '2', '--out', out, ...quick);
    assert.equal(r.code, 0, r.err);
    for (const f of ['last.safetensors', 'last.state.safetensors', 'best.safetensors', 'metrics.csv', 'metrics.jsonl', 'lr.csv', 'curves.png', 'curves.svg', 'confusion.png', 'misclassified.png', 'summary.json']) {
      assert.ok(existsSync(join(out, f)), `${f} written`);
    }
    assert.equal(readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n').length, 3, 'header + 2 epochs');
    assert.match(r.out, /^Epoch 1\/2 .*loss .*val_accuracy/m);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.ok(summary.testAccuracy > 0.5, `learned something: ${summary.testAccuracy}`);
    assert.match(r.out, new RegExp(`test accuracy ${(100 * summary.testAccuracy).toFixed(2)}% on 500 images`));
  });

  test('eval of the run gives the accuracy train reported', () => {
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const full = run('eval', out);
    assert.equal(full.code, 0, full.err);
    assert.match(full.out, /on mnist test \(10000 images\): loss [\d.]+, accuracy [\d.]+%/);
    assert.match(full.out, /macro avg/);
    // the same model on the same 500 images as train used: recompute from eval's per-class output is not
    // possible, so check the checkpoint holds the trained weights instead
    const w = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'last.safetensors'))));
    assert.ok('1.weight' in w.tensors && JSON.parse(w.metadata.shendu).model === 'mlp');
    assert.ok(summary.testAccuracy > 0);
  });

  test('predict gives the top-3 classes of real digits', () => {
    const test = mnist({ train: false });
    const [x, y] = test.batch([0, 1]);
    const files = [0, 1].map((i) => {
      const f = join(work, `digit${i}.png`);
      writeFileSync(f, encode({ width: 28, height: 28, channels: 1, data: Uint8Array.from(x.select(0, i).toTypedArray(), (v) => Math.round(v * 255)) }));
      return f;
    });
    const r = run('predict', out, ...files);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 2);
    const labels = y.toTypedArray();
    lines.forEach((line, i) => {
      assert.match(line, /: \S+ [\d.]+%, \S+ [\d.]+%, \S+ [\d.]+%$/);
      assert.ok(line.includes(`: ${labels[i]} `), `top-1 of a clear test digit is its label: ${line}`);
    });
  });

  test('a run killed with SIGKILL after its first checkpoint and resumed ends with the same weights', async () => {
    const split = join(work, 'killed');
    const child = spawn(process.execPath, [cli, 'train', 'mlp', '--epochs', '2', '--out', split, ...quick], { stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const state = join(split, 'last.state.safetensors');
    for (let i = 0; i < 600 && !existsSync(state); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(existsSync(state), 'the first checkpoint appeared');
    child.kill('SIGKILL');
    await exited;
    const resumed = run('train', 'mlp', '--epochs', '2', '--out', split, '--resume', ...quick);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /resuming from /);
    const a = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'last.safetensors')))).tensors;
    const b = decodeSafetensors(new Uint8Array(readFileSync(join(split, 'last.safetensors')))).tensors;
    for (const k of Object.keys(a)) assert.deepEqual(b[k].toTypedArray(), a[k].toTypedArray(), k);
  });

  test('--resume without a checkpoint is refused', () => {
    const r = run('train', 'mlp', '--out', join(work, 'empty'), '--resume', ...quick);
    assert.equal(r.code, 1);
    assert.match(r.err, /--resume given but .*empty holds no checkpoint/);
  });
});
