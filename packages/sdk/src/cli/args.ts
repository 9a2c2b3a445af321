// argv -> one command of the table and its input, with node:util parseArgs. Every usage mistake
// is a ValidationError (exit 2) that says what was wrong and shows the command's usage line.
import { parseArgs } from 'node:util';
import { ValidationError } from '../errors.js';
import { COMMANDS, type CommandInput, type CommandSpec, findCommand, type OptionValues } from './commands.js';

export interface Invocation {
  command: CommandSpec;
  input: CommandInput;
  json: boolean;
}

/** What to print instead of running anything (`--help`, `help`, no arguments). */
export interface HelpRequest {
  help: string;
}

/** Options every command takes. */
const COMMON = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

export const ENVIRONMENT_HELP = `Environment:
  CLOUDWADY_USER              the user id the CLI acts for (required; every call is checked for it)
  CLOUDWADY_DATABASE_URL      SQLite file path or postgres:// URL (default: ~/.local/share/cloudwady/cloudwady.db)
  CLOUDWADY_SECRET_KEY        base64 of 32 bytes (required with PostgreSQL)
  CLOUDWADY_TEMPORAL_ADDRESS  Temporal frontend, host:port (default 127.0.0.1:7233)
  CLOUDWADY_TASK_QUEUE        the workers' task queue (default cloudwady)

Exit codes: 0 ok, 1 failed, 2 invalid input or usage, 3 forbidden.`;

export function commandUsage(command: CommandSpec): string {
  const args = command.args.map((name) => `<${name}>`);
  const options = Object.entries(command.options ?? {}).map(([name, spec]) => {
    const text = spec.type === 'boolean' ? `--${name}` : `--${name} ${spec.hint ?? '<value>'}`;
    return spec.required ? text : `[${text}]`;
  });
  return ['cloudwady', command.group, command.verb, ...args, ...options, '[--json]'].join(' ');
}

export function usage(): string {
  const lines = COMMANDS.map((c) => `  ${commandUsage(c).slice('cloudwady '.length)}\n      ${c.summary}`);
  return `Usage: cloudwady <group> <command> [arguments] [--json]\n\nCommands:\n${lines.join('\n')}\n\n${ENVIRONMENT_HELP}`;
}

function usageError(message: string, command?: CommandSpec): ValidationError {
  const hint = command ? `Usage: ${commandUsage(command)}` : 'Run "cloudwady --help" for the commands.';
  return ValidationError.forField(['argv'], `${message}. ${hint}`);
}

/** Whether the output should be JSON, also when the arguments do not parse (errors too). */
export const wantsJson = (argv: readonly string[]) => argv.includes('--json');

export function parseInvocation(argv: readonly string[]): Invocation | HelpRequest {
  const [group, verb, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h')
    return { help: usage() };
  const command = findCommand(group, verb);
  if (!command) {
    const words = [group, verb].filter((w) => w !== undefined && !w.startsWith('-')).join(' ');
    throw usageError(`Unknown command "${words}"`);
  }
  const options = Object.fromEntries(
    Object.entries(command.options ?? {}).map(([name, spec]) => [
      name,
      spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...options, ...COMMON },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs says e.g. "Unknown option '--relase'"; keep its words, drop its advice.
    throw usageError((error as Error).message.split('. ')[0] ?? 'Invalid arguments', command);
  }
  const values = parsed.values as OptionValues;
  if (values.help) return { help: commandUsage(command) };
  if (parsed.positionals.length !== command.args.length) {
    const expected = command.args.length === 0 ? 'no arguments' : command.args.map((a) => `<${a}>`).join(' ');
    throw usageError(`Expected ${expected}, got ${JSON.stringify(parsed.positionals)}`, command);
  }
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    if (spec.required && values[name] === undefined) throw usageError(`Missing --${name}`, command);
  }
  const args = Object.fromEntries(command.args.map((name, i) => [name, parsed.positionals[i] ?? '']));
  return { command, input: { args, values }, json: values.json === true };
}
