/**
 * POST /v1/predict answers what `shendu predict` and the model's own forward give: PNG and JPEG bodies decoded
 * and prepared as in training (runImageBytes = runImage on the same bytes), JSON tensors of one sample or a
 * batch fed to the model as they are; /healthz describes the run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noGrad, softmax, tensor } from '../../src/index.js';
import { openRun, runImage } from '../../src/node/index.js';
import { runImageBytes } from '../../src/node/run-image.js';
import { run } from '../cli/helpers.js';
import { digit, serverOn, tinyRun, writeFile } from './helpers.js';

const { work, dir } = tinyRun('shendu-serve-predict-');
const server = serverOn(dir, { maxWaitMs: 1 });
const { model, info } = openRun('test', dir);
const digits = [0, 1, 2].map(digit);

/** The model's own class probabilities for a normalized batch. */
const forward = (x: ReturnType<typeof tensor>) => Array.from(noGrad(() => softmax(model.forward(x), 1)).toTypedArray());

type Answer = { model: string; predictions: { top: { class: string; index: number; probability: number }[]; probabilities: number[] }[] };

async function predict(body: Uint8Array | string, type: string, query = ''): Promise<Answer> {
  const r = await server.app.inject({ method: 'POST', url: `/v1/predict${query}`, headers: { 'content-type': type }, payload: typeof body === 'string' ? body : Buffer.from(body) });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as Answer;
}

function close(a: readonly number[], b: readonly number[], tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${what}[${i}]: ${v} vs ${b[i]}`));
}

test('runImageBytes prepares PNG and JPEG bytes exactly as runImage prepares the files', () => {
  for (const [i, d] of digits.entries()) {
    for (const [ext, bytes] of [['png', d.png], ['jpg', d.jpeg]] as const) {
      const f = writeFile(work, `same${i}.${ext}`, bytes);
      for (const invert of [false, true]) {
        const a = runImage(info, f, { invert }).input.toTypedArray();
        const b = runImageBytes(info, bytes, f, { invert }).input.toTypedArray();
        assert.deepEqual(Array.from(b), Array.from(a), `${f} invert ${invert}`);
      }
    }
  }
});

test('a PNG body gets the probabilities of shendu predict and of the model forward', async () => {
  const files = digits.map((d, i) => writeFile(work, `digit${i}.png`, d.png));
  const cli = run('predict', dir, ...files);
  assert.equal(cli.code, 0, cli.err);
  const lines = cli.out.trim().split('\n');
  for (const [i, d] of digits.entries()) {
    const a = await predict(d.png, 'image/png', '?topk=3');
    assert.equal(a.model, 'lenet5');
    const p = a.predictions[0];
    assert.equal(a.predictions.length, 1);
    close(p.probabilities, forward(runImage(info, files[i]).input), 1e-6, `digit ${i}`);
    assert.equal(p.top.length, 3);
    const shown = p.top.map((t) => `${t.class} ${(100 * t.probability).toFixed(1)}%`).join(', ');
    assert.equal(lines[i], `${files[i]}: ${shown}`, 'the same top-3 as shendu predict');
    assert.ok(Math.abs(p.probabilities.reduce((s, v) => s + v, 0) - 1) < 1e-5);
  }
});

test('a JPEG body and ?invert=true are prepared as for the files', async () => {
  for (const [i, d] of digits.entries()) {
    const f = writeFile(work, `digit${i}.jpg`, d.jpeg);
    const a = await predict(d.jpeg, 'image/jpeg');
    close(a.predictions[0].probabilities, forward(runImage(info, f).input), 1e-6, `jpeg ${i}`);
    assert.equal(a.predictions[0].top.length, 5, 'five classes by default');
    const inv = await predict(d.jpeg, 'image/jpeg; charset=binary', '?invert=1');
    close(inv.predictions[0].probabilities, forward(runImage(info, f, { invert: true }).input), 1e-6, `inverted jpeg ${i}`);
  }
});

test('a JSON tensor, one sample [1, 28, 28] or a batch [N, 1, 28, 28], goes to the model as it is', async () => {
  const inputs = digits.map((d, i) => runImage(info, writeFile(work, `json${i}.png`, d.png)).input);
  const nested = (x: ReturnType<typeof tensor>) => {
    const v = Array.from(x.toTypedArray());
    return [Array.from({ length: 28 }, (_, r) => v.slice(r * 28, r * 28 + 28))];
  };
  const one = await predict(JSON.stringify({ inputs: nested(inputs[0]) }), 'application/json');
  close(one.predictions[0].probabilities, forward(inputs[0]), 1e-6, 'one sample');
  const batch = await predict(JSON.stringify({ inputs: inputs.map(nested) }), 'application/json; charset=utf-8', '?topk=10');
  assert.equal(batch.predictions.length, 3);
  batch.predictions.forEach((p, i) => {
    close(p.probabilities, forward(inputs[i]), 1e-6, `batch sample ${i}`);
    assert.equal(p.top.length, 10);
    assert.deepEqual(p.top.map((t) => t.class), p.top.map((t) => info.classes[t.index]));
    for (let k = 1; k < 10; k++) assert.ok(p.top[k - 1].probability >= p.top[k].probability, 'most likely first');
  });
});

test('/healthz describes the run; HEAD works too', async () => {
  const r = await server.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(r.statusCode, 200);
  const h = r.json();
  assert.equal(h.status, 'ok');
  assert.equal(h.model, 'lenet5');
  assert.equal(h.dataset, 'mnist');
  assert.deepEqual(h.inputShape, [1, 28, 28]);
  assert.deepEqual(h.classes, info.classes);
  assert.equal((await server.app.inject({ method: 'HEAD', url: '/healthz' })).statusCode, 200);
});
