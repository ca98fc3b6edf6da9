/**
 * The word2vec_train benchmark workload (bench/workloads/spec.ts, words.ts, runners/shendu.ts, peers/torch.ts):
 * its spec and selection, the words file every runner reads, the gensim command line, and one shendu step on a
 * small corpus (the Moby Dick passes themselves are left to the bench).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { torchCommand } from '../../bench/peers/torch.js';
import { runnerSpec, RUNNERS } from '../../bench/runners.js';
import { prepareShendu } from '../../bench/runners/shendu.js';
import { parseSelection } from '../../bench/select.js';
import { runPeers } from '../../bench/suite-peers.js';
import { W2V, WORKLOADS, workloadSpec, type WorkloadData } from '../../bench/workloads/spec.js';
import { paragraphWords, readSentences, writeSentences } from '../../bench/workloads/words.js';

const dir = mkdtempSync(join(tmpdir(), 'shendu-bench-w2v-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('word2vec_train spec', () => {
  test('counts words, takes the words per step from the runner, and leaves out runners with no word2vec of their own (and the second thread count)', () => {
    const w = workloadSpec('word2vec_train')!;
    assert.equal(w.unit, 'words/s');
    assert.equal(w.perStep, 'runner');
    assert.equal(w.data, 'words');
    assert.deepEqual(Object.keys(w.notRun ?? {}).sort(), ['shendu-wasm-2t', 'tfjs-cpu', 'tfjs-wasm']);
    const ran = RUNNERS.filter((r) => !(r.name in (w.notRun ?? {}))).map((r) => r.name);
    assert.deepEqual(ran, ['shendu-wasm-1t', 'shendu-cpu', 'torch-1t', 'torch-2t']);
    assert.deepEqual({ ...W2V }, { vectorSize: 100, window: 5, negative: 5, sample: 1e-3, minCount: 5, alpha: 0.025, minAlpha: 0.0001, seed: 1 });
  });

  test('`npm run bench -- word2vec_train --seconds=3` selects that workload on every runner', () => {
    const sel = parseSelection(['word2vec_train', '--seconds=3']);
    assert.deepEqual([...sel.suites.entries()], [['peers', ['word2vec_train']]]);
    assert.equal(sel.runners.length, RUNNERS.length);
    assert.equal(sel.seconds, 3);
  });
});

describe('word2vec_train words', () => {
  test('paragraphs at blank lines, words by WordTokenizer, empty paragraphs dropped', () => {
    const got = paragraphWords('Call me Ishmael. Some years ago—never mind\n\n  \n\nThe whale’s  spout!\n\n...\n');
    assert.deepEqual(got, [['call', 'me', 'ishmael', 'some', 'years', 'ago', 'never', 'mind'], ['the', 'whale’s', 'spout']]);
  });

  test('the words file reads back the same sentences, and its counts are returned', () => {
    const sentences = [['a', 'b', 'c'], ['whale’s', 'pivot-hole'], ['d']];
    const path = join(dir, 'words.txt');
    assert.deepEqual(writeSentences(path, sentences), { sentences: 3, words: 6 });
    assert.deepEqual(readSentences(path), sentences);
  });
});

describe('word2vec_train runners', () => {
  test('the torch runners run gensim_train.py on the words file, workers = threads, and nothing meant for torch_train.py', () => {
    const c = torchCommand(runnerSpec('torch-2t')!, 'word2vec_train', '/b/', { words: '/t/w.txt', tokens: '/t/t.u8', mnistDir: '/m' }, 3);
    assert.deepEqual(c.args, ['/b/gensim_train.py', 'word2vec_train', '--threads', '2', '--seconds', '3', '--words', '/t/w.txt']);
    const t = torchCommand(runnerSpec('torch-1t')!, 'lstm_train', '/b/', { words: '/t/w.txt', tokens: '/t/t.u8' }, 3);
    assert.deepEqual(t.args, ['/b/torch_train.py', 'lstm_train', '--threads', '1', '--seconds', '3', '--tokens', '/t/t.u8']);
  });

  test('a shendu step is one pass over the corpus and reports the corpus words as its work', async () => {
    // a small corpus whose words all pass minCount 5
    const sentences = Array.from({ length: 40 }, (_, i) => ['the', 'whale', 'ship', 'sea', i % 2 ? 'ahab' : 'stubb', 'boat']);
    const data: WorkloadData = {
      mnist: () => assert.fail('word2vec_train reads no MNIST'), tokens: () => assert.fail('word2vec_train reads no symbols'), sentences: () => sentences,
    };
    const prepared = await prepareShendu(runnerSpec('shendu-wasm-1t')!, 'word2vec_train', data);
    assert.equal(prepared.perStep, 240);
    assert.match(prepared.note ?? '', /vocabulary 7, 240 words a pass/);
    const rate = await prepared.step();
    assert.ok(typeof rate === 'number' && rate > 0);
  });

  test('the suite writes the Moby Dick words and neither runs nor installs TensorFlow.js, which has no word2vec', () => {
    const lines: string[] = [];
    const tfjs = RUNNERS.filter((r) => r.kind === 'tfjs');
    const got = runPeers({ workloads: WORKLOADS.filter((w) => w.name === 'word2vec_train'), runners: tfjs, seconds: 1, rounds: 2, log: (l) => lines.push(l) });
    assert.deepEqual(got.rows.map((r) => [r.runner, r.error]), tfjs.map((r) => [r.name, 'not run: TensorFlow.js has no word2vec']));
    // two rounds, interleaved (the second in reverse), one row per runner
    assert.deepEqual(lines.filter((l) => /round \d/.test(l)).map((l) => l.match(/round (\d) (\S+)/)!.slice(1).join(' ')), ['1 tfjs-cpu', '1 tfjs-wasm', '2 tfjs-wasm', '2 tfjs-cpu']);
    assert.ok(lines.some((l) => /^ {2}words: Moby Dick, \d+ words in \d+ paragraphs$/.test(l)), lines.join('\n'));
    assert.ok(!lines.some((l) => /installing|TensorFlow.js not measured/.test(l)), lines.join('\n'));
  });
});
