/**
 * NodeFileStore (src/node/files.ts): read/write/append, writes that replace the file by rename (a new inode,
 * no temporary file left behind), a crashed writer's temporary file that neither shows nor survives reopening,
 * names kept inside the directory, and checkpoints through it; terminalProgress's CI rule.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ValueError, manualSeed, nn } from '../../src/index.js';
import { NodeFileStore, terminalProgress } from '../../src/node/files.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'shendu-files-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

describe('NodeFileStore', () => {
  test('creates its directory; reads what it wrote; missing files are null', () => {
    const dir = freshDir();
    const s = new NodeFileStore(dir);
    assert.equal(statSync(dir).isDirectory(), true);
    assert.equal(s.read('nothing.bin'), null);
    s.write('a.bin', Uint8Array.from([1, 2, 3]));
    assert.deepEqual(Array.from(s.read('a.bin')!), [1, 2, 3]);
    assert.deepEqual(Array.from(readFileSync(join(dir, 'a.bin'))), [1, 2, 3]);
    s.write('sub/dir/b.txt', new TextEncoder().encode('hé'));
    assert.equal(s.readText('sub/dir/b.txt'), 'hé');
    s.append('log.csv', 'a\n');
    s.append('log.csv', 'b\n');
    assert.equal(readFileSync(join(dir, 'log.csv'), 'utf8'), 'a\nb\n');
    s.write('empty', new Uint8Array(0));
    assert.equal(s.read('empty')!.byteLength, 0);
  });

  test('a write replaces the file by rename (new inode) and leaves no temporary file', () => {
    const dir = freshDir();
    const s = new NodeFileStore(dir);
    s.write('ck.safetensors', new Uint8Array(1000).fill(1));
    const before = statSync(join(dir, 'ck.safetensors')).ino;
    s.write('ck.safetensors', new Uint8Array(10).fill(2));
    assert.notEqual(statSync(join(dir, 'ck.safetensors')).ino, before, 'the old file was not rewritten in place');
    assert.deepEqual(Array.from(s.read('ck.safetensors')!), new Array(10).fill(2));
    assert.deepEqual(readdirSync(dir), ['ck.safetensors']);
  });

  test('the temporary file of a writer killed mid-write is invisible and removed when the directory is reopened', () => {
    const dir = freshDir();
    const s = new NodeFileStore(dir);
    s.write('last.safetensors', Uint8Array.from([7, 7, 7]));
    // what a process killed between writing and renaming leaves: a hidden partial file with its (dead) pid
    const torn = '.last.safetensors.999999999.0.tmp';
    writeFileSync(join(dir, torn), Uint8Array.from([1]));
    const mine = `.last.safetensors.${process.pid}.99.tmp`;
    writeFileSync(join(dir, mine), Uint8Array.from([1]));
    assert.deepEqual(Array.from(s.read('last.safetensors')!), [7, 7, 7]);
    new NodeFileStore(dir);
    assert.deepEqual(readdirSync(dir).sort(), [mine, 'last.safetensors'].sort(), 'only the dead writer\'s file is removed');
  });

  test('names must stay inside the directory', () => {
    const s = new NodeFileStore(freshDir());
    for (const bad of ['../escape', '/abs', 'a/../../b', '']) {
      assert.throws(() => s.write(bad, new Uint8Array(1)), ValueError, bad);
      assert.throws(() => s.read(bad), ValueError, bad);
    }
    assert.throws(() => new NodeFileStore(''), ValueError);
  });

  test('checkpoints round-trip through the directory', () => {
    manualSeed(0);
    const s = new NodeFileStore(freshDir());
    const model = new nn.Linear(3, 2);
    saveCheckpoint(s, 'best', model, { metadata: { model: 'linear' } });
    const back = loadCheckpoint(s, 'best')!;
    assert.equal(back.metadata.model, 'linear');
    assert.deepEqual(Array.from(back.weights.weight.toTypedArray()), Array.from(model.weight.toTypedArray()));
  });
});

describe('terminalProgress', () => {
  test('plain lines when CI is set, whatever stdout is', () => {
    const old = process.env.CI;
    try {
      process.env.CI = 'true';
      const lines: string[] = [];
      const bar = terminalProgress();
      const write = process.stdout.write;
      process.stdout.write = ((s: string) => lines.push(s) > 0) as typeof process.stdout.write;
      try {
        bar.onEpochBegin();
        bar.onBatchEnd(1, { batch: 1, size: 4, loss: 1 }, { epoch: 1, epochs: 1, batchesPerEpoch: 1 } as never);
        bar.onEpochEnd(1, { epoch: 1, loss: 1, time: 0.1 }, { epoch: 1, epochs: 1, batchesPerEpoch: 1 } as never);
      } finally {
        process.stdout.write = write;
      }
      assert.equal(lines.length, 1);
      assert.match(lines[0], /^Epoch 1\/1 - 1 batches - 0\.1s - \d+ samples\/s - loss 1\.0000\n$/);
    } finally {
      if (old === undefined) delete process.env.CI;
      else process.env.CI = old;
    }
  });
});
