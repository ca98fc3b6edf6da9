/**
 * The table of `shendu` commands.
 * @module
 */
import type { Command } from './main.js';
import { datasetsCommand } from './datasets.js';
import { evalCommand } from './evaluate.js';
import { predictCommand } from './predict.js';
import { sampleCommand } from './sample.js';
import { trainCommand } from './train.js';
import { summaryCommand } from './summary.js';
import { visualizeCommand } from './visualize.js';
import { exportCommand } from './export.js'; // issue 16
import { serveCommand } from './serve.js'; // issue 16
import { detectCommand } from './detect.js'; // issue 15
import { tuneCommand } from './tune.js'; // issue 17

/** Every command by name, in the order help lists them. */
export const COMMANDS: Record<string, Command> = {
  train: trainCommand,
  eval: evalCommand,
  predict: predictCommand,
  summary: summaryCommand,
  datasets: datasetsCommand,
  visualize: visualizeCommand,
  sample: sampleCommand,
  export: exportCommand, // issue 16
  serve: serveCommand, // issue 16
  detect: detectCommand, // issue 15
  tune: tuneCommand, // issue 17
};
