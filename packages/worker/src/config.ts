// The cloudwady-worker command's settings, from environment variables, validated before anything
// connects. The SDK store (CLOUDWADY_DATABASE_URL, CLOUDWADY_SECRET_KEY) is read by
// CloudWady.connect itself, so the worker and the SDK always agree on what those mean.
import { readFileSync } from 'node:fs';
import type { HostingOptions } from '@cloudwady/activities';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from './worker.js';

/** A setting is missing or wrong; the message names the variable (and never echoes a value). */
export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

export interface WorkerConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  hosting: HostingOptions;
  /** Key of the payload codec; the SDK side must use the same one (unset: payloads in clear). */
  payloadKey?: Buffer;
}

const port = z.int().min(1).max(65_535);
const text = z.string().trim().min(1, { error: 'must not be empty' });

/** HostingOptions of @cloudwady/activities as JSON; strict, so a misspelt key is an error, not a default. */
export const hostingOptionsSchema = z.strictObject({
  baseImages: z
    .record(z.string().min(1, { error: 'must not be empty' }), text)
    .refine((images) => Object.keys(images).length > 0, { error: 'must name at least one base image' }),
  dataRoot: z.string().startsWith('/', { error: 'must be an absolute path' }).optional(),
  database: z.strictObject({ host: text, port, user: text, password: z.string() }),
  proxyListenPort: port.optional(),
  proxyListenAddress: text.optional(),
  portRange: z
    .tuple([port, port])
    .refine(([low, high]) => low <= high, { error: 'must be [low, high] with low <= high' })
    .optional(),
  healthTimeoutMs: z.int().positive().optional(),
}) satisfies z.ZodType<HostingOptions>;

const envSchema = z.object({
  CLOUDWADY_TEMPORAL_ADDRESS: z
    .string({ error: 'is required: the Temporal frontend as host:port, e.g. 127.0.0.1:7233' })
    .trim()
    .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, {
      error: 'must be host:port, e.g. 127.0.0.1:7233',
    }),
  CLOUDWADY_NAMESPACE: text.default('default'),
  CLOUDWADY_TASK_QUEUE: text.default(DEFAULT_TASK_QUEUE),
  CLOUDWADY_PAYLOAD_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9+/]{43}=$/, {
      error: "must be base64 of 32 random bytes (openssl rand -base64 32), the SDK side's payload key",
    })
    .transform((key) => Buffer.from(key, 'base64'))
    .optional(),
});

type ReadText = (path: string) => string;

/** Empty variables count as unset (as in a compose file's `VAR=`). */
function setOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

/** "database.port Invalid input: ...; ..." (zod 4 messages never quote the input). */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.')} ${issue.message}`.trim()).join('; ');
}

function hostingJson(env: Record<string, string>, readText: ReadText): { source: string; json: string } {
  const inline = env.CLOUDWADY_HOSTING;
  const file = env.CLOUDWADY_HOSTING_FILE;
  if (inline !== undefined && file !== undefined) {
    throw new WorkerConfigError('Set CLOUDWADY_HOSTING or CLOUDWADY_HOSTING_FILE, not both.');
  }
  if (inline !== undefined) return { source: 'CLOUDWADY_HOSTING', json: inline };
  if (file === undefined) {
    throw new WorkerConfigError(
      'CLOUDWADY_HOSTING (JSON) or CLOUDWADY_HOSTING_FILE (path to that JSON) is required: it names the base images and the PostgreSQL the apps use.',
    );
  }
  try {
    return { source: 'CLOUDWADY_HOSTING_FILE', json: readText(file) };
  } catch (error) {
    throw new WorkerConfigError(
      `CLOUDWADY_HOSTING_FILE: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Parses the hosting JSON; the parser's own message is left out, as it quotes the text (and its password). */
export function parseHosting(source: string, json: string): HostingOptions {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new WorkerConfigError(`${source} is not valid JSON.`);
  }
  const parsed = hostingOptionsSchema.safeParse(value);
  if (!parsed.success) throw new WorkerConfigError(`${source}: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** The command's settings from `env`; throws WorkerConfigError naming the first wrong variables. */
export function readWorkerConfig(
  env: NodeJS.ProcessEnv = process.env,
  readText: ReadText = (path) => readFileSync(path, 'utf8'),
): WorkerConfig {
  const vars = setOnly(env);
  const parsed = envSchema.safeParse(vars);
  if (!parsed.success) throw new WorkerConfigError(describeIssues(parsed.error.issues));
  const { source, json } = hostingJson(vars, readText);
  return {
    address: parsed.data.CLOUDWADY_TEMPORAL_ADDRESS,
    namespace: parsed.data.CLOUDWADY_NAMESPACE,
    taskQueue: parsed.data.CLOUDWADY_TASK_QUEUE,
    hosting: parseHosting(source, json),
    ...(parsed.data.CLOUDWADY_PAYLOAD_KEY ? { payloadKey: parsed.data.CLOUDWADY_PAYLOAD_KEY } : {}),
  };
}
