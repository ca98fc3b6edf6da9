#!/usr/bin/env node
/**
 * The `shendu` command: `shendu <command> [args] [--options]`. Usage mistakes exit with code 2 and a one-line
 * message naming what was wrong and the valid choices; runtime failures exit with code 1 and the typed error's
 * message (the stack trace only with --verbose).
 * @module
 */
// the commands call tensor methods (x.sub(...)), which src/ops/methods.ts attaches to Tensor
import '../ops/methods.js';
import '../backend/wasm/index.js';
import { ShenduError } from '../errors.js';
import { UsageError, helpText, parseArgs, type CommandSpec, type Parsed } from './args.js';
import { COMMANDS } from './commands.js';

/** A command: its spec and what it does (may be async). */
export interface Command {
  /** Arguments and options. */
  spec: CommandSpec;
  /** Runs the command; returns the exit code. */
  run(args: Parsed): Promise<number> | number;
}

function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length)) + 4;
  return [
    'usage: shendu <command> [arguments] [options]',
    '',
    'commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    "run 'shendu <command> --help' for a command's arguments and options",
  ].join('\n');
}

const CAUSES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file of that name exists already',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
};

/** One line for a file-system error (ENOSPC, EACCES, ...): what was done to which path, and why it failed. */
function systemError(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string' || typeof err.syscall !== 'string') return null;
  const cause = CAUSES[err.code] ?? err.message;
  const dest = (err as { dest?: string }).dest;
  return `cannot ${err.syscall} ${err.path ?? ''}${dest ? ` -> ${dest}` : ''}: ${cause} (${err.code})`.replace(/ {2}/g, ' ');
}

// A reader that goes away (`shendu train ... | head -1`) ends the command quietly, as SIGPIPE ends other tools;
// checkpoints are written atomically, so nothing is left half-written.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const rest = argv.filter((a) => a !== '--verbose');
  const [name, ...args] = rest;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(topHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!cmd) throw new UsageError(`shendu: unknown command '${name}'; valid commands: ${Object.keys(COMMANDS).join(', ')}`);
    if (args.includes('--help') || args.includes('-h')) {
      console.log(helpText(cmd.spec));
      return 0;
    }
    return await cmd.run(parseArgs(cmd.spec, args));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    const sys = systemError(e);
    if (verbose) console.error(e instanceof Error ? e.stack : String(e));
    else if (e instanceof ShenduError) console.error(`shendu ${name}: ${e.name}: ${e.message}`);
    else if (sys) console.error(`shendu ${name}: ${sys}`);
    else console.error(e instanceof Error ? e.stack : String(e));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
