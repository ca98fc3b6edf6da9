/**
 * The entry point of one `optimizeInWorkers` worker process: node tune-worker-main.js '<WorkerJob JSON>' <index>.
 * @module
 */
import { pathToFileURL } from 'node:url';
import type { Objective } from '../tune/study.js';
import { createStudy } from '../tune/study.js';
import { makeSampler } from '../tune/registry.js';
import { JournalFileStorage } from './tune-journal.js';
import type { WorkerJob } from './tune-workers.js';

const job = JSON.parse(process.argv[2]) as WorkerJob;
const index = Number(process.argv[3]);
const url = job.objectiveModule.startsWith('file:') ? job.objectiveModule : pathToFileURL(job.objectiveModule).href;
const mod = (await import(url)) as { objective?: Objective };
if (typeof mod.objective !== 'function') {
  process.stderr.write(`tune worker: ${job.objectiveModule} does not export a function 'objective'\n`);
  process.exit(2);
}
const study = createStudy({
  storage: new JournalFileStorage(job.journal), studyName: job.studyName, direction: job.direction, loadIfExists: true,
  sampler: makeSampler(job.sampler, { seed: job.seed + index }), pruner: job.pruner,
});
await study.optimize(mod.objective, { maxTrialsInStudy: job.nTrials, timeout: job.timeout });
process.stdout.write(`worker ${index} (pid ${process.pid}) done\n`);
