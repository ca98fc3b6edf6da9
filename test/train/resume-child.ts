/**
 * Child process of the kill -9 resume test (not a test file itself): trains the small MLP of helpers.ts with
 * checkpoints into a directory, then writes the final weights to `final.safetensors` there.
 * Usage: node resume-child.js <dir> <epochs> <sleepMsPerEpoch> [--resume]
 */
import { F, encodeSafetensors } from '../../src/index.js';
import { NodeFileStore } from '../../src/node/files.js';
import { CSVLogger, LambdaCallback, LRLogger } from '../../src/train/callbacks.js';
import { ModelCheckpoint, loadCheckpoint } from '../../src/train/checkpoint.js';
import { fit } from '../../src/train/fit.js';
import { setupRun } from './helpers.js';

const [dir, epochs, sleepMs, flag] = process.argv.slice(2);
const store = new NodeFileStore(dir);
const resume = flag === '--resume';
const { model, train, val, optimizer, scheduler } = setupRun(0, 7);
const pause = new Int32Array(new SharedArrayBuffer(4));
const checkpoint = resume ? loadCheckpoint(store, 'last') : null;
if (checkpoint) process.stdout.write(`resumed after epoch ${checkpoint.state?.epoch}\n`);
fit(model, {
  trainLoader: train, valLoader: val, loss: F.crossEntropy, optimizer, scheduler, epochs: Number(epochs), metrics: ['accuracy'],
  callbacks: [
    new CSVLogger({ store }),
    new LRLogger({ store }),
    new ModelCheckpoint({ store }),
    // a pause at each epoch start leaves the parent time to kill this process between checkpoints
    new LambdaCallback({ onEpochBegin: () => void Atomics.wait(pause, 0, 0, Number(sleepMs)) }),
  ],
  resumeFrom: checkpoint,
});
store.write('final.safetensors', encodeSafetensors(model.stateDict()));
