// Servers: the hosts apps run on, reached over SSH. The private key is a secret: accepted on
// input, stored sealed, never part of a Server record.
import { z } from 'zod';
import { idSchema } from '../ids.js';
import { absolutePathSchema, hostSchema, nameSchema, portSchema } from './common.js';

export const serverIdSchema = idSchema('server');

const privateKeySchema = z
  .string()
  .max(16_384, { error: 'a private key is at most 16 KiB' })
  .refine(
    (value) =>
      /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\r?\n[\s\S]+-----END [A-Z0-9 ]*PRIVATE KEY-----\s*$/.test(
        value.trim(),
      ),
    {
      error: 'expected a PEM or OpenSSH private key ("-----BEGIN ... PRIVATE KEY-----")',
    },
  );

const argvSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(1024)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: arguments are one line each
      .regex(/^[^\u0000-\u001f\u007f]+$/, { error: 'arguments must be printable text' }),
  )
  .min(1, { error: 'needs at least the program' })
  .max(32);

export const proxySettingsSchema = z.strictObject({
  kind: z.literal('nginx').default('nginx'),
  /** Directory of per-app site files the main nginx config includes. */
  sitesDir: absolutePathSchema.default('/etc/nginx/conf.d'),
  /** argv (never a shell string) that reloads nginx on the host. */
  reloadArgv: argvSchema.default(['nginx', '-s', 'reload']),
  /** argv that tests the nginx configuration before a reload. */
  testArgv: argvSchema.default(['nginx', '-t']),
});
export type ProxySettings = z.output<typeof proxySettingsSchema>;

const labelKey = z.string().regex(/^[a-z0-9]([a-z0-9._/-]{0,62})$/, {
  error: 'label keys are lower-case letters, digits, . _ / - (at most 63)',
});
const labelsSchema = z
  .record(labelKey, z.string().max(256, { error: 'label values are at most 256 characters' }))
  .refine((labels) => Object.keys(labels).length <= 64, { error: 'at most 64 labels' });

const usernameSchema = z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, { error: 'expected a Unix user name' });

const sshInputSchema = z.strictObject({
  host: hostSchema,
  port: portSchema.default(22),
  username: usernameSchema,
  privateKey: privateKeySchema,
});

// No defaults here: a partial update must not reset the port to 22.
const sshUpdateSchema = z.strictObject({
  host: hostSchema.optional(),
  port: portSchema.optional(),
  username: usernameSchema.optional(),
  privateKey: privateKeySchema.optional(),
});

export const createServerInputSchema = z.strictObject({
  projectId: idSchema('project'),
  name: nameSchema,
  ssh: sshInputSchema,
  dockerSocketPath: absolutePathSchema.default('/var/run/docker.sock'),
  labels: labelsSchema.default({}),
  proxy: proxySettingsSchema.default({
    kind: 'nginx',
    sitesDir: '/etc/nginx/conf.d',
    reloadArgv: ['nginx', '-s', 'reload'],
    testArgv: ['nginx', '-t'],
  }),
});
export type CreateServerInput = z.input<typeof createServerInputSchema>;

export const updateServerInputSchema = z.strictObject({
  name: nameSchema.optional(),
  ssh: sshUpdateSchema.optional(),
  dockerSocketPath: absolutePathSchema.optional(),
  labels: labelsSchema.optional(),
  proxy: proxySettingsSchema.optional(),
});
export type UpdateServerInput = z.input<typeof updateServerInputSchema>;

export interface Server {
  id: string;
  projectId: string;
  name: string;
  ssh: { host: string; port: number; username: string };
  dockerSocketPath: string;
  labels: Record<string, string>;
  proxy: ProxySettings;
  createdAt: string;
  updatedAt: string;
}
