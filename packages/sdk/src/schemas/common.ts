// Field schemas shared by several resources. Each rejects, with a message saying what is
// expected, anything that could reach a shell, a config file or a URL in an unexpected shape.
import { z } from 'zod';

/** Printable text on one line (names, notes' titles): no control characters. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]+$/, { error: 'must be one line of printable text' });

/** Free text that may span lines (deployment note) but holds no other control characters. */
export const noteSchema = z
  .string()
  .max(4000, { error: 'must be at most 4000 characters' })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, { error: 'must be printable text' });

/** Who acts: the SDK checks this user's role in the project of every record touched. */
export const actorSchema = z.strictObject({
  userId: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\s\u0000-\u001f\u007f]+$/, { error: 'must not contain spaces or control characters' }),
  name: nameSchema.optional(),
});
export type Actor = z.input<typeof actorSchema>;

export const userIdSchema = actorSchema.shape.userId;

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value.split('.').every((label) => HOST_LABEL.test(label));
}

/** A public domain of an app: lower-cased, host name syntax, no wildcard, no port. */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => isHostname(value) && value.includes('.'), {
    error: 'expected a domain name such as "shop.example.com" (letters, digits, hyphens, dots)',
  });

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An SSH host: a host name or an IPv4/IPv6 address. */
export const hostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => IPV4.test(value) || isHostname(value) || z.ipv6().safeParse(value).success, {
    error: 'expected a host name or an IP address',
  });

export const portSchema = z
  .number()
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be between 1 and 65535' })
  .max(65535, { error: 'must be between 1 and 65535' });

/** An absolute path on a host, without `..` or characters a shell or config file would read. */
export const absolutePathSchema = z
  .string()
  .max(1024)
  .regex(/^\/[A-Za-z0-9._\-/@+]*$/, { error: 'expected an absolute path (letters, digits, . _ - / @ +)' })
  .refine((value) => !value.split('/').includes('..'), { error: 'must not contain ".."' });

/**
 * A Git repository URL as `git clone` takes it: https://, ssh://, git@host:path or file:// (local
 * repositories for tests and self-hosted setups). Never starting with "-", so it is never an option.
 */
export const repositoryUrlSchema = z
  .string()
  .trim()
  .max(1024)
  .refine(
    (value) =>
      /^(https?|ssh|git|file):\/\/[^\s'"`\\]+$/.test(value) ||
      /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s'"`\\-][^\s'"`\\]*$/.test(value),
    {
      error:
        'expected a Git URL: https://host/owner/repo.git, ssh://..., git@host:owner/repo.git or file:///path',
    },
  );

/** A full Git commit id: SHA-1 (40) or SHA-256 (64) hex. */
export const commitShaSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/, { error: 'expected a full commit SHA (40 or 64 hex characters)' });
