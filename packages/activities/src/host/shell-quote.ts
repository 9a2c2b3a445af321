// SSH exec takes one command string that the server's login shell parses, so argv must be
// quoted for a POSIX shell (sh, dash, bash, zsh). This is the ONLY place that builds a command
// string: every element becomes one literal word, whatever it contains.

const SAFE_WORD = /^[A-Za-z0-9_./:@+,-]+$/;
// Reserved words are only special unquoted and in command position; quote them there.
const RESERVED = new Set(
  'case coproc do done elif else esac fi for function if in select then time until while'.split(' '),
);

/** Quote one argument: safe words stay bare, others go in single quotes ('\'' for a quote). */
export function quoteArg(arg: string, commandPosition = false): string {
  if (typeof arg !== 'string') throw new TypeError('argv elements must be strings');
  // A NUL cannot be passed in argv at all; refuse rather than silently truncate.
  if (arg.includes('\0')) throw new TypeError('argv elements must not contain NUL bytes');
  if (SAFE_WORD.test(arg) && !(commandPosition && RESERVED.has(arg))) return arg;
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** Quote argv into one command line for a POSIX shell. */
export function shellQuote(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('argv must not be empty');
  return argv.map((arg, i) => quoteArg(arg, i === 0)).join(' ');
}
