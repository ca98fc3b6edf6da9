/**
 * The entry point of one `optimizeInWorkers` worker process: node tune-worker-main.js '<WorkerJob JSON>' <index>.
 * @module
 */
import { pathToFileURL } from 'node:url';
import type { Objective } from '../tune/study.js';
import { createStudy } from '../tune/study.js';
import { makeSampler } from '../tune/registry.js';
import { JournalFileStorage } from './tune-journal.js';
import type { WorkerJob, WorkerSetup } from './tune-workers.js';

const job = JSON.parse(process.argv[2]) as WorkerJob;
const index = Number(process.argv[3]);
const url = job.objectiveModule.startsWith('file:') ? job.objectiveModule : pathToFileURL(job.objectiveModule).href;
const mod = (await import(url)) as { objective?: Objective; setup?: (args: unknown, index: number) => WorkerSetup | Promise<WorkerSetup> };
let parts: WorkerSetup;
if (job.setupArgs !== undefined) {
  if (typeof mod.setup !== 'function') {
    process.stderr.write(`tune worker: ${job.objectiveModule} does not export a function 'setup'\n`);
    process.exit(2);
  }
  try {
    parts = await mod.setup(job.setupArgs, index);
  } catch (e) {
    process.stderr.write(`tune worker ${index}: ${(e as Error).name}: ${(e as Error).message}\n`);
    process.exit(1);
  }
} else {
  if (typeof mod.objective !== 'function') {
    process.stderr.write(`tune worker: ${job.objectiveModule} does not export a function 'objective'\n`);
    process.exit(2);
  }
  parts = { objective: mod.objective };
}
const study = createStudy({
  storage: new JournalFileStorage(job.journal), studyName: job.studyName, direction: job.direction, loadIfExists: true,
  sampler: parts.sampler ?? makeSampler(job.sampler, { seed: job.seed + index }), pruner: parts.pruner ?? job.pruner,
});
// Set up; now wait until every worker is (optimizeInWorkers says 'start'). Without a parent to say so, start at once.
if (process.send !== undefined) {
  await new Promise<void>((resolve) => {
    process.on('message', (m: { type?: string }) => {
      if (m?.type === 'start') resolve();
    });
    // The parent is gone (killed): stop rather than train on unwatched, after the trial running then (if any),
    // which the next opening of the study fails as its process is gone.
    process.once('disconnect', () => process.exit(1));
    process.send!({ type: 'ready' });
  });
}
try {
  await study.optimize(parts.objective, { maxTrialsInStudy: job.nTrials, timeout: job.timeout });
} catch (e) {
  process.stderr.write(`tune worker ${index}: ${(e as Error).name}: ${(e as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(`worker ${index} (pid ${process.pid}) done\n`);
// the IPC channel would keep this process alive
process.removeAllListeners('disconnect');
if (process.connected) process.disconnect();
