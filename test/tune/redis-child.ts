/**
 * A worker process of the Redis storage tests. Usage:
 *   node redis-child.js <url> <keyPrefix> <studyName> work <n|max> <count> <sleepMs> <heartbeatMs> <graceMs> [hangAt]
 *     runs trials (x in [-1, 1], reports x at step 0, waits sleepMs, returns x²): `n` of them, or until the study
 *     holds `max` trials that did not fail; with hangAt, its hangAt-th trial (1-based) prints `inside <number>` and
 *     never returns (so that a test can kill it mid-trial without racing the trial's end);
 *   node redis-child.js <url> <keyPrefix> <studyName> dump
 *     prints the study's trials as one JSON line.
 */
// Only the tune modules: the whole package index would make each child's start-up slow.
import { RedisStorage } from '../../src/node/tune-redis.js';
import * as tune from '../../src/tune/index.js';

const [url, keyPrefix, studyName, mode, kind, count, sleepMs, heartbeat, grace, hangAt] = process.argv.slice(2);
let started = 0;
const storage = await RedisStorage.connect(url, mode === 'work' ? { keyPrefix, heartbeatInterval: Number(heartbeat), gracePeriod: Number(grace) } : { keyPrefix });
const study = tune.createStudy({ storage, studyName, loadIfExists: true, sampler: new tune.RandomSampler({ seed: process.pid }), pruner: 'none' });
if (mode === 'work') {
  await study.optimize(async (t) => {
    const x = t.suggestFloat('x', -1, 1);
    t.report(x, 0);
    if (++started === Number(hangAt)) {
      process.stdout.write(`inside ${t.number}\n`);
      await new Promise((r) => setTimeout(r, 600_000));
    }
    await new Promise((r) => setTimeout(r, Number(sleepMs)));
    return x * x;
  }, kind === 'n' ? { nTrials: Number(count) } : { maxTrialsInStudy: Number(count) });
  process.stdout.write(`done ${process.pid}\n`);
} else {
  process.stdout.write(JSON.stringify(study.trials.map((t) => ({ ...t, intermediateValues: [...t.intermediateValues] }))) + '\n');
}
await storage.close();
