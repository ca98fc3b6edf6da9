/**
 * A worker process of the journal tests: opens (or resumes) a study in a journal file and runs trials that each
 * take `sleepMs`. Usage: node journal-child.js <journal> <studyName> <nTrials> <sleepMs>
 */
// Only the tune modules: the whole package index would make each child's start-up slow.
import { JournalFileStorage } from '../../src/node/tune-journal.js';
import * as tune from '../../src/tune/index.js';

const [journal, studyName, nTrials, sleepMs] = process.argv.slice(2);
const storage = new JournalFileStorage(journal);
const study = tune.createStudy({ storage, studyName, loadIfExists: true, sampler: new tune.RandomSampler({ seed: process.pid }), pruner: 'none' });
await study.optimize(async (t) => {
  const x = t.suggestFloat('x', -1, 1);
  await new Promise((r) => setTimeout(r, Number(sleepMs)));
  return x * x;
}, { nTrials: Number(nTrials) });
process.stdout.write(`done ${process.pid}\n`);
