/**
 * Command-line options of the examples and bench scripts, one reader for all of them: `--help` (or `-h`) prints
 * the usage written at the top of the script's own source (its module comment) and the options it takes with their
 * defaults; an unknown option, a value missing after a string option or a value given to a flag is a one-line
 * message that names the option and lists the ones the script takes — not a stack trace, and never a typo silently
 * ignored (`--epoch 5` used to run with the default epochs).
 *
 *   const a = scriptArgs(import.meta.url, { epochs: { type: 'string', default: '10' }, quick: { type: 'boolean' } });
 *   a.epochs; // string
 *   a.quick;  // boolean (false unless given)
 * @module
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ValueError } from '../errors.js';

/** One option: a string (`--name value`) or a flag (`--name`; false unless given). */
export type ScriptOption = { type: 'string'; default?: string } | { type: 'boolean'; default?: false };

/** A script's options by name (without the leading `--`). */
export type ScriptOptions = Record<string, ScriptOption>;

/** The parsed values: a string option with a default is a string, one without is string | undefined; flags are booleans. */
export type ScriptValues<S extends ScriptOptions> = {
  [K in keyof S]: S[K] extends { type: 'boolean' } ? boolean : S[K] extends { default: string } ? string : string | undefined;
};

/** What {@link readScriptArgs} found: the values and the positional arguments, or the request for help with the text to print. */
export type ScriptArgsResult<S extends ScriptOptions> = { help: false; values: ScriptValues<S>; positionals: string[] } | { help: true; text: string };

/** The options as one line each: `--name VALUE (default D)` or `--name`. */
export function describeOptions(options: ScriptOptions): string {
  return Object.entries(options)
    .map(([name, o]) => (o.type === 'boolean' ? `  --${name}` : `  --${name} VALUE${o.default !== undefined && o.default !== '' ? ` (default ${o.default})` : ''}`))
    .join('\n');
}

/** The first `/** ... *\/` comment of a source text, without its stars and `@module` tag ('' when there is none). */
export function moduleComment(source: string): string {
  const m = /\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!m) return '';
  return m[1]
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .filter((line) => line.trim() !== '@module')
    .join('\n')
    .trim();
}

/**
 * Parses `argv` (the arguments after the script's path) against `options`; `--help`/`-h` anywhere gives the help
 * text (the module comment of the script at `moduleUrl`, then the options). Positional arguments are taken only
 * when `positionals` names them (for the help: e.g. 'RESULT.json ...'). Throws a ValueError naming the offending
 * option and the ones the script takes.
 */
export function readScriptArgs<const S extends ScriptOptions>(
  moduleUrl: string, options: S, argv: readonly string[], positionals?: string,
): ScriptArgsResult<S> {
  const script = basename(fileURLToPath(moduleUrl));
  if (argv.includes('--help') || argv.includes('-h')) {
    let doc = '';
    try {
      doc = moduleComment(readFileSync(fileURLToPath(moduleUrl), 'utf8'));
    } catch {
      // the compiled script without its source text: the options alone
    }
    const usage = `${script} ${positionals ? `[options] ${positionals}` : '[options]'}; options:`;
    return { help: true, text: `${doc ? `${doc}\n\n` : ''}${usage}\n${describeOptions(options)}` };
  }
  let values: Record<string, string | boolean | undefined>;
  let rest: string[];
  try {
    ({ values, positionals: rest } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals !== undefined }));
  } catch (e) {
    const known = Object.keys(options).map((n) => `--${n}`).join(', ') || 'none';
    throw new ValueError(`${script}: ${(e as Error).message.split('\n')[0].replace(/\. To specify a positional.*$/, '')} (options: ${known}; --help for the usage)`);
  }
  const out: Record<string, string | boolean | undefined> = {};
  for (const [name, o] of Object.entries(options)) out[name] = o.type === 'boolean' ? values[name] === true : values[name] as string | undefined;
  return { help: false, values: out as ScriptValues<S>, positionals: rest };
}

/**
 * The script's options from `process.argv`: prints the help and exits 0 on `--help`, prints the message and exits 2
 * on a bad option (see {@link readScriptArgs}).
 */
export function scriptArgs<const S extends ScriptOptions>(moduleUrl: string, options: S): ScriptValues<S> {
  return scriptCommand(moduleUrl, options).values;
}

/**
 * {@link scriptArgs} for a script that also takes positional arguments (`positionals` names them for the help):
 * the values and the positionals.
 */
export function scriptCommand<const S extends ScriptOptions>(
  moduleUrl: string, options: S, positionals?: string,
): { values: ScriptValues<S>; positionals: string[] } {
  try {
    const r = readScriptArgs(moduleUrl, options, process.argv.slice(2), positionals);
    if (r.help) {
      console.log(r.text);
      process.exit(0);
    }
    return { values: r.values, positionals: r.positionals };
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    console.error(e.message);
    process.exit(2);
  }
}
