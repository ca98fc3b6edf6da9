/**
 * Command-line parsing for `shendu`: each command declares its options (type, default, choices, help); unknown
 * commands, options and values become a UsageError whose one-line message names the culprit and lists the
 * valid choices (the CLI exits with code 2 on it).
 * @module
 */

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One option of a command. */
export interface OptionSpec {
  /** Value kind: a flag takes no value. */
  type: 'string' | 'int' | 'number' | 'flag';
  /** Default value (absent: undefined). */
  default?: string | number | boolean;
  /** Allowed values for string options. */
  choices?: readonly string[];
  /** One-line help. */
  help: string;
  /** Name of the value shown in help, e.g. N or X. */
  metavar?: string;
}

/** A command: positional arguments and options. */
export interface CommandSpec {
  /** Command name, e.g. 'train'. */
  name: string;
  /** One-line summary. */
  summary: string;
  /** Positional arguments: name, help, and whether more than one may be given (the last only). */
  positionals: { name: string; help: string; variadic?: boolean; choices?: () => readonly string[] }[];
  /** Options by long name (without the leading --). */
  options: Record<string, OptionSpec>;
}

/** Parsed arguments. */
export interface Parsed {
  /** Positional values by name (a variadic one is an array). */
  positionals: Record<string, string | string[]>;
  /** Option values by long name, defaults filled in. */
  options: Record<string, string | number | boolean | undefined>;
}

/** Parses `argv` (after the command name) against `spec`. */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): Parsed {
  const options: Parsed['options'] = {};
  for (const [k, o] of Object.entries(spec.options)) options[k] = o.default;
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = a.slice(2, eq < 0 ? undefined : eq);
      const o = spec.options[key];
      if (!o) {
        throw new UsageError(`shendu ${spec.name}: unknown option '--${key}'; valid options: ${Object.keys(spec.options).map((k) => `--${k}`).join(', ')}`);
      }
      if (o.type === 'flag') {
        if (eq >= 0) throw new UsageError(`shendu ${spec.name}: option '--${key}' takes no value`);
        options[key] = true;
        continue;
      }
      const raw = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (raw === undefined) throw new UsageError(`shendu ${spec.name}: option '--${key}' needs a value (${o.metavar ?? o.type})`);
      options[key] = convert(spec.name, key, o, raw);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      throw new UsageError(`shendu ${spec.name}: unknown option '${a}'; options are spelled --name (see shendu ${spec.name} --help)`);
    } else {
      pos.push(a);
    }
  }
  const positionals: Parsed['positionals'] = {};
  spec.positionals.forEach((p, i) => {
    if (p.variadic) {
      positionals[p.name] = pos.slice(i);
      if ((positionals[p.name] as string[]).length === 0) throw new UsageError(`shendu ${spec.name}: missing <${p.name}> (${p.help})`);
    } else {
      const v = pos[i];
      if (v === undefined) throw new UsageError(`shendu ${spec.name}: missing <${p.name}> (${p.help})`);
      if (p.choices && !p.choices().includes(v)) {
        throw new UsageError(`shendu ${spec.name}: unknown ${p.name} '${v}'; valid choices: ${p.choices().join(', ')}`);
      }
      positionals[p.name] = v;
    }
  });
  const maxPos = spec.positionals.some((p) => p.variadic) ? Infinity : spec.positionals.length;
  if (pos.length > maxPos) throw new UsageError(`shendu ${spec.name}: unexpected argument '${pos[maxPos]}'`);
  return { positionals, options };
}

function convert(cmd: string, key: string, o: OptionSpec, raw: string): string | number {
  if (o.type === 'string') {
    if (o.choices && !o.choices.includes(raw)) {
      throw new UsageError(`shendu ${cmd}: invalid value '${raw}' for --${key}; valid choices: ${o.choices.join(', ')}`);
    }
    return raw;
  }
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (o.type === 'int' && !Number.isInteger(v))) {
    throw new UsageError(`shendu ${cmd}: --${key} needs ${o.type === 'int' ? 'an integer' : 'a number'}, got '${raw}'`);
  }
  return v;
}

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => (p.variadic ? `<${p.name} ...>` : `<${p.name}>`)).join(' ');
  const lines = [`usage: shendu ${spec.name} ${pos} [options]`, '', spec.summary, ''];
  for (const p of spec.positionals) {
    const choices = p.choices ? ` (${p.choices().join(', ')})` : '';
    lines.push(`  <${p.name}>`.padEnd(26) + p.help + choices);
  }
  if (Object.keys(spec.options).length) lines.push('', 'options:');
  for (const [k, o] of Object.entries(spec.options)) {
    const left = `  --${k}${o.type === 'flag' ? '' : ` ${o.metavar ?? (o.type === 'string' ? 'S' : o.type === 'int' ? 'N' : 'X')}`}`;
    const extra = [o.choices ? `one of ${o.choices.join(', ')}` : '', o.default !== undefined && o.type !== 'flag' ? `default ${o.default}` : ''].filter(Boolean).join('; ');
    lines.push(left.padEnd(26) + o.help + (extra ? ` (${extra})` : ''));
  }
  lines.push('  --help'.padEnd(26) + 'show this help');
  return lines.join('\n');
}
