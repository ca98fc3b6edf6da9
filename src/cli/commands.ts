/**
 * The table of `shendu` commands.
 * @module
 */
import type { Command } from './main.js';
import { datasetsCommand } from './datasets.js';
import { summaryCommand } from './summary.js';

/** Every command by name, in the order help lists them. */
export const COMMANDS: Record<string, Command> = {
  summary: summaryCommand,
  datasets: datasetsCommand,
};
