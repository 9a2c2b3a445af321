// Input validation shared by the command builders. Builders accept only values that are inert
// wherever they end up (argv element, nginx directive, Docker mount spec), so a bad value is
// rejected here with a typed error before anything runs.

/** A value given to a command builder is not acceptable; nothing was run. */
export class CommandInputError extends Error {
  override readonly name = 'CommandInputError';
  readonly code = 'INVALID_COMMAND_INPUT';
  constructor(
    /** Which input was wrong, e.g. "domains[1]" or "branch". */
    readonly field: string,
    /** What is wrong with it, in words. */
    readonly problem: string,
    /** Shown (shortened) in the message; omit for values that may be secret. */
    shownValue?: string,
  ) {
    super(
      shownValue === undefined
        ? `invalid ${field}: ${problem}`
        : `invalid ${field} ${JSON.stringify(shownValue.slice(0, 80))}: ${problem}`,
    );
  }
}

// C0 controls (newline, NUL, ESC...) and DEL: never meaningful in names, paths or config values.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function requireString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new CommandInputError(field, 'must be a string');
  return value;
}

/** Any text without control characters (labels, Go templates, ...). */
export function plainText(field: string, value: unknown, { secret = false } = {}): string {
  const text = requireString(field, value);
  if (CONTROL_CHARS.test(text)) {
    throw new CommandInputError(field, 'must not contain control characters', secret ? undefined : text);
  }
  return text;
}

/** Text that may span lines (an argv element, an env value) but never contains NUL. */
export function noNul(field: string, value: unknown, { secret = false } = {}): string {
  const text = requireString(field, value);
  if (text.includes('\0')) {
    throw new CommandInputError(field, 'must not contain NUL bytes', secret ? undefined : text);
  }
  return text;
}

function matching(field: string, value: unknown, pattern: RegExp, problem: string): string {
  const text = requireString(field, value);
  if (!pattern.test(text)) throw new CommandInputError(field, problem, text);
  return text;
}

const LABEL = '(?!-)[a-z0-9-]{1,63}(?<!-)';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** A DNS host name (RFC 1123 labels, no wildcard, no trailing dot), returned lower-cased. */
export function hostname(field: string, value: unknown): string {
  const text = requireString(field, value).toLowerCase();
  if (text.length > 253 || !HOSTNAME.test(text)) {
    throw new CommandInputError(field, 'must be a host name such as erp.example.com', text);
  }
  return text;
}

/** An app id: lower-case, usable in container, image and file names. */
export function appId(field: string, value: unknown): string {
  return matching(field, value, /^[a-z0-9][a-z0-9_-]{0,62}$/, 'must match [a-z0-9][a-z0-9_-]{0,62}');
}

/** A release id or build fingerprint: letters, digits, '_', '.', '-'. */
export function releaseId(field: string, value: unknown): string {
  return matching(
    field,
    value,
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
    'must match [A-Za-z0-9][A-Za-z0-9_.-]{0,127}',
  );
}

/** A build fingerprint: a hex digest of the build inputs. */
export function fingerprint(field: string, value: unknown): string {
  return matching(field, value, /^[a-f0-9]{16,128}$/, 'must be a lower-case hex digest (16+ chars)');
}

/** A Docker container name (Docker's own rule; it cannot start with '-'). */
export function containerName(field: string, value: unknown): string {
  return matching(field, value, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'is not a Docker container name');
}

/** A Docker image reference (name[:tag][@digest]); never starts with '-'. */
export function imageRef(field: string, value: unknown): string {
  return matching(
    field,
    value,
    /^[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$|^sha256:[a-f0-9]{64}$/,
    'is not a Docker image reference',
  );
}

/**
 * An absolute path made of safe characters only: it is used in argv, in Docker mount specs
 * (where ',' and '=' are separators) and in nginx directives (where ';', quotes, '$' and
 * spaces have meaning), and '..' segments are refused so a path stays where it says.
 */
export function absolutePath(field: string, value: unknown): string {
  const text = matching(
    field,
    value,
    /^\/[A-Za-z0-9._@+/-]*$/,
    'must be an absolute path of [A-Za-z0-9._@+/-]',
  );
  if (text.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new CommandInputError(field, "must not contain '.' or '..' segments", text);
  }
  if (text.length > 4096) throw new CommandInputError(field, 'is too long', text);
  return text;
}

/** A whole number in [min, max]. */
export function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CommandInputError(field, `must be a whole number from ${min} to ${max}`, String(value));
  }
  return value;
}

export function port(field: string, value: unknown): number {
  return integer(field, value, 1, 65535);
}

/** An environment variable name (POSIX portable). */
export function envName(field: string, value: unknown): string {
  return matching(field, value, /^[A-Za-z_][A-Za-z0-9_]*$/, 'must match [A-Za-z_][A-Za-z0-9_]*');
}
