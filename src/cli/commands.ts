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
import { serveCommand } from './serve.js';

/** Every command by name, in the order help lists them. */
export const COMMANDS: Record<string, Command> = {
  train: trainCommand,
  eval: evalCommand,
  predict: predictCommand,
  summary: summaryCommand,
  datasets: datasetsCommand,
  visualize: visualizeCommand,
  sample: sampleCommand,
  serve: serveCommand,
};
