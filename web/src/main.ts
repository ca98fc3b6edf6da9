/**
 * The playground page: trains LeNet-5 on MNIST in the browser (live loss and accuracy charts, a stop button),
 * classifies a digit drawn on the pad (probabilities as bars, the first conv layers' feature maps), and loads a
 * model trained by `shendu train` from its checkpoint file. Numbers the page shows are also on `#stats`' and
 * `#prediction`'s data attributes, so scripts (and the playground's test) can read them.
 * @module
 */
import { getBackend, wasmBackendInfo } from '../../src/index.js';
import { LineChart } from './chart.js';
import { loadMnist, type MnistSplit } from './data.js';
import { DrawingPad } from './draw.js';
import { classProbabilities, convFeatureMaps, freshLeNet, modelFromCheckpoint, modelInput, type PageModel } from './model.js';
import { PageTraining } from './trainer.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const trainButton = $<HTMLButtonElement>('train');
const stopButton = $<HTMLButtonElement>('stop');
const stats = $('stats');
const prediction = $('prediction');

const lossChart = new LineChart($('loss-chart'), [{ name: 'train loss', color: '#4a7bd0' }, { name: 'test loss', color: '#d0664a' }], { title: 'cross-entropy loss', format: (v) => v.toFixed(3) });
const accChart = new LineChart($('acc-chart'), [{ name: 'train accuracy', color: '#4a7bd0' }, { name: 'test accuracy', color: '#d0664a' }], { title: 'accuracy', yRange: [0, 1], format: (v) => `${(100 * v).toFixed(1)}%` });

let current: PageModel = freshLeNet();
let training: PageTraining | null = null;
let finished: Promise<void> | null = null;
let data: { train: MnistSplit; test: MnistSplit } | null = null;

function showBackend(): void {
  const info = wasmBackendInfo();
  const name = getBackend().name;
  const iso = globalThis.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated';
  $('backend').textContent = name === 'wasm'
    ? `${name} backend${info.relaxedSimd ? ' (relaxed SIMD)' : ''}, ${info.threads} thread${info.threads > 1 ? 's' : ''} (${info.workersReady} Web Worker${info.workersReady === 1 ? '' : 's'} ready), ${iso}`
    : `${name} backend (${info.error ?? 'wasm not loaded'}), ${iso}`;
}

function setState(state: string, text: string): void {
  stats.dataset.state = state;
  stats.textContent = text;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

async function startTraining(): Promise<void> {
  if (!data || training) return;
  current = freshLeNet();
  $('model-info').textContent = `predicting with: ${current.label}`;
  const run = new PageTraining(current.model, data.train, data.test);
  training = run;
  lossChart.clear();
  accChart.clear();
  const losses: number[] = [];
  let testAcc: number | null = null;
  let trainAcc = 0;
  const report = (state: string) => {
    const first = mean(losses.slice(0, 10));
    const last = mean(losses.slice(-10));
    Object.assign(stats.dataset, { batches: String(run.batches), firstLoss: String(first), loss: String(last), trainAccuracy: String(trainAcc), testAccuracy: testAcc === null ? '' : String(testAcc) });
    setState(state, `${state} · batch ${run.batches} · loss ${last.toFixed(3)} (first batches ${first.toFixed(3)}) · train accuracy ${(100 * trainAcc).toFixed(1)}%` +
      (testAcc === null ? '' : ` · test accuracy ${(100 * testAcc).toFixed(1)}%`));
  };
  trainButton.disabled = true;
  stopButton.disabled = false;
  setState('training', 'training…');
  finished = run.run({
    onBatch(batch, loss, acc) {
      losses.push(loss);
      // one batch's accuracy moves in steps of 1/64: the chart and the numbers show a moving average
      trainAcc = losses.length === 1 ? acc : 0.9 * trainAcc + 0.1 * acc;
      lossChart.series[0].points.push([batch, loss]);
      accChart.series[0].points.push([batch, trainAcc]);
      lossChart.draw();
      accChart.draw();
      report(run.stopping ? 'stopping' : 'training');
    },
    onEval(batch, loss, acc) {
      testAcc = acc;
      lossChart.series[1].points.push([batch, loss]);
      accChart.series[1].points.push([batch, acc]);
      showBackend();
      if (pad.hasInk) predictDrawing();
    },
  }).then(() => report('stopped'), (e: unknown) => setState('error', `training failed: ${e instanceof Error ? e.message : String(e)}`)).finally(() => {
    training = null;
    trainButton.disabled = false;
    stopButton.disabled = true;
    if (pad.hasInk) predictDrawing();
  });
}

async function stopTraining(): Promise<void> {
  training?.stop();
  await finished;
}

function predictDrawing(): void {
  const pixels = pad.toMnist();
  const bars = $('bars');
  const maps = $('maps');
  if (!pixels) {
    prediction.textContent = 'draw a digit in the box';
    delete prediction.dataset.class;
    bars.replaceChildren();
    maps.replaceChildren();
    return;
  }
  const seen = $<HTMLCanvasElement>('seen').getContext('2d')!;
  const img = seen.createImageData(28, 28);
  pixels.forEach((v, i) => img.data.set([255 * v, 255 * v, 255 * v, 255], i * 4));
  seen.putImageData(img, 0, 0);
  try {
    const input = modelInput(current, pixels);
    const probs = classProbabilities(current, input);
    const top = probs.indexOf(Math.max(...probs));
    prediction.className = '';
    prediction.textContent = `prediction: ${current.classes[top]} (${(100 * probs[top]).toFixed(1)}%)`;
    Object.assign(prediction.dataset, { class: current.classes[top], index: String(top), probability: String(probs[top]), probabilities: JSON.stringify(probs) });
    bars.replaceChildren(...probs.map((p, k) => {
      const row = document.createElement('div');
      row.className = k === top ? 'bar top' : 'bar';
      row.innerHTML = `<span></span><div class="track"><div class="fill"></div></div><span></span>`;
      row.children[0].textContent = current.classes[k];
      (row.querySelector('.fill') as HTMLElement).style.width = `${(100 * p).toFixed(1)}%`;
      row.children[2].textContent = `${(100 * p).toFixed(1)}%`;
      return row;
    }));
    maps.replaceChildren(...convFeatureMaps(current, input).map((m) => {
      const fig = document.createElement('figure');
      const im = document.createElement('img');
      im.src = URL.createObjectURL(new Blob([m.png as BlobPart], { type: 'image/png' }));
      im.onload = () => URL.revokeObjectURL(im.src);
      const cap = document.createElement('figcaption');
      cap.textContent = `layer ${m.layer} (Conv2d): ${m.channels} maps of ${m.size}x${m.size}`;
      fig.append(im, cap);
      return fig;
    }));
  } catch (e) {
    prediction.className = 'error';
    prediction.textContent = `prediction failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const pad = new DrawingPad($<HTMLCanvasElement>('pad'), predictDrawing);
$('clear').addEventListener('click', () => {
  pad.clear();
  predictDrawing();
});
trainButton.addEventListener('click', () => void startTraining());
stopButton.addEventListener('click', () => void stopTraining());

$<HTMLInputElement>('model-file').addEventListener('change', async (e) => {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  const info = $('model-info');
  if (!file) return;
  try {
    const loaded = modelFromCheckpoint(file.name, new Uint8Array(await file.arrayBuffer()));
    await stopTraining();
    current = loaded;
    info.className = '';
    info.textContent = `predicting with: ${loaded.label}`;
    info.dataset.loaded = file.name;
    predictDrawing();
  } catch (err) {
    info.className = 'error';
    info.textContent = `could not load ${file.name}: ${err instanceof Error ? err.message : String(err)}`;
    delete info.dataset.loaded;
  }
});

showBackend();
try {
  const [train, test] = await Promise.all([loadMnist('train'), loadMnist('t10k')]);
  data = { train, test };
  trainButton.disabled = false;
  void startTraining();
} catch (e) {
  setState('error', `could not load MNIST: ${e instanceof Error ? e.message : String(e)}`);
}
