// App configuration (F15): what odoo.conf and the image are made of. Changes are staged by
// Apply Config and applied by the next deployment (F16), so a record always says both what
// runs now and what the next deploy will run.
import { z } from 'zod';
import { definedOnly, optionalFields } from './patch.js';

/** Odoo database names the platform accepts (also safe in a dbfilter regex and in file names). */
export const DATABASE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

export const databaseNameSchema = z.string().regex(DATABASE_NAME_PATTERN, {
  error: 'expected a database name: a letter or digit, then letters, digits, _ . - (at most 63)',
});

/** Debian package names (Policy 5.6.1): lower case, digits, + - . and at least two characters. */
export const debianPackageSchema = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, {
  error: 'expected a Debian package name such as "libxml2-dev"',
});

/** odoo.conf keys the platform owns; the config patch may not set them (each has its own field). */
export const PLATFORM_OWNED_KEYS: Readonly<Record<string, string>> = {
  admin_passwd: 'use apps.regenerateAdminPassword',
  db_name: 'use the databaseName field',
  dbfilter: 'it follows the databaseName field',
  db_host: 'the platform connects the database',
  db_port: 'the platform connects the database',
  db_user: 'the platform connects the database',
  db_password: 'the platform connects the database',
  list_db: 'the database manager stays disabled in production',
  proxy_mode: 'apps always run behind the platform proxy',
  http_interface: 'apps listen on the loopback behind the proxy',
  http_port: 'the platform assigns ports',
  gevent_port: 'the platform assigns ports',
  longpolling_port: 'the platform assigns ports',
  data_dir: 'the filestore location is fixed by the platform',
  workers: 'use the workers field',
  max_cron_threads: 'use the maxCronThreads field',
};

const PATCH_KEY = /^[a-z_][a-z0-9_]*$/;

export interface ConfigPatchLine {
  key: string;
  value: string;
}

/**
 * Parses a config patch: `key = value` lines, blank lines, comments (# or ;) and at most an
 * `[options]` header. Returns the problems found (empty when valid) and the settings.
 */
export function parseConfigPatch(patch: string): { lines: ConfigPatchLine[]; problems: string[] } {
  const lines: ConfigPatchLine[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  patch.split('\n').forEach((raw, index) => {
    const where = `line ${index + 1}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: a value must stay on its own line
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(raw)) {
      problems.push(`${where}: control characters (such as a carriage return) are not allowed`);
      return;
    }
    if (line.startsWith('[')) {
      if (line !== '[options]') problems.push(`${where}: only the [options] section may appear, not ${line}`);
      return;
    }
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (eq < 0 || !PATCH_KEY.test(key)) {
      problems.push(`${where}: expected "key = value" with a lower-case key`);
      return;
    }
    const owned = PLATFORM_OWNED_KEYS[key];
    if (owned) {
      problems.push(`${where}: "${key}" is managed by the platform (${owned})`);
      return;
    }
    if (seen.has(key)) {
      problems.push(`${where}: "${key}" is set twice (odoo.conf rejects duplicate keys)`);
      return;
    }
    seen.add(key);
    lines.push({ key, value: line.slice(eq + 1).trim() });
  });
  return { lines, problems };
}

export const configPatchSchema = z
  .string()
  .max(20_000, { error: 'the config patch is at most 20000 characters' })
  .superRefine((patch, ctx) => {
    for (const problem of parseConfigPatch(patch).problems)
      ctx.addIssue({ code: 'custom', message: problem });
  });

const seconds = z.number().int({ error: 'must be whole seconds' }).min(1).max(86_400);
const bytes = z
  .number()
  .int({ error: 'must be whole bytes' })
  .min(64 * 1024 * 1024, { error: 'at least 64 MiB' });

const limitsFields = {
  limitTimeCpu: seconds,
  limitTimeReal: seconds,
  limitTimeRealCron: seconds,
  limitMemorySoft: bytes,
  limitMemoryHard: bytes,
  limitRequest: z.number().int().min(1).max(1_000_000),
};

const routingFields = {
  /** nginx client_max_body_size: e.g. "128m". */
  proxyBodySize: z
    .string()
    .regex(/^[1-9][0-9]{0,5}[kmg]?$/, { error: 'expected a size such as "128m", "1g" or "512k"' }),
  /** nginx proxy_read_timeout in seconds (long reports, imports). */
  proxyReadTimeout: seconds,
};

const ocaQueueFields = {
  enabled: z.boolean(),
  /** queue_job channels, e.g. "root:2,root.mail:1". */
  channels: z
    .string()
    .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*:[1-9][0-9]{0,2}(,[a-z0-9_]+(\.[a-z0-9_]+)*:[1-9][0-9]{0,2})*$/, {
      error: 'expected channels such as "root:2" or "root:4,root.mail:1"',
    }),
};

const configFields = {
  databaseName: databaseNameSchema,
  workers: z.number().int().min(0).max(64),
  maxCronThreads: z.number().int().min(0).max(16),
  forcePullTemplate: z.boolean(),
  additionalSystemPackages: z
    .array(debianPackageSchema)
    .max(100)
    .refine((list) => new Set(list).size === list.length, { error: 'each package at most once' }),
  configPatch: configPatchSchema,
};

function checkLimits(
  config: { limits?: { limitMemorySoft?: number; limitMemoryHard?: number } },
  ctx: z.RefinementCtx,
) {
  const soft = config.limits?.limitMemorySoft;
  const hard = config.limits?.limitMemoryHard;
  if (soft !== undefined && hard !== undefined && soft > hard) {
    ctx.addIssue({
      code: 'custom',
      path: ['limits', 'limitMemorySoft'],
      message: 'limitMemorySoft must not exceed limitMemoryHard',
    });
  }
}

/** A complete configuration (what is applied, or staged). Every field is present. */
export const appConfigSchema = z
  .strictObject({
    ...configFields,
    ocaQueue: z.strictObject(ocaQueueFields),
    limits: z.strictObject(limitsFields),
    routing: z.strictObject(routingFields),
  })
  .superRefine(checkLimits);
export type AppConfig = z.output<typeof appConfigSchema>;

/** Apply Config input (and an app's initial config): any subset; nested objects merge field by field. */
export const applyConfigInputSchema = optionalFields(configFields).extend({
  ocaQueue: optionalFields(ocaQueueFields).optional(),
  limits: optionalFields(limitsFields).optional(),
  routing: optionalFields(routingFields).optional(),
});
export type ApplyConfigInput = z.input<typeof applyConfigInputSchema>;

/** Defaults of a new app (Odoo's own defaults for the limits); the database name comes from the app. */
export const DEFAULT_APP_CONFIG: Readonly<Omit<AppConfig, 'databaseName'>> = Object.freeze({
  workers: 2,
  maxCronThreads: 1,
  forcePullTemplate: false,
  ocaQueue: { enabled: false, channels: 'root:1' },
  additionalSystemPackages: [],
  limits: {
    limitTimeCpu: 60,
    limitTimeReal: 120,
    limitTimeRealCron: 300,
    limitMemorySoft: 2_147_483_648,
    limitMemoryHard: 2_684_354_560,
    limitRequest: 65_536,
  },
  routing: { proxyBodySize: '128m', proxyReadTimeout: 720 },
  configPatch: '',
});

/** `base` with `patch` laid over it; nested objects merge field by field, lists are replaced. */
export function mergeConfig(base: AppConfig, patch: z.output<typeof applyConfigInputSchema>): AppConfig {
  const { ocaQueue, limits, routing, ...top } = patch;
  return {
    ...base,
    ...definedOnly(top),
    ocaQueue: { ...base.ocaQueue, ...definedOnly(ocaQueue) },
    limits: { ...base.limits, ...definedOnly(limits) },
    routing: { ...base.routing, ...definedOnly(routing) },
  };
}

/** Applied and staged configuration of an app. */
export interface AppConfigState {
  appId: string;
  applied: AppConfig;
  appliedAt: string;
  /** What the next deployment applies; null when nothing is staged. */
  staged: AppConfig | null;
  stagedAt: string | null;
  stagedBy: string | null;
  /** A regenerated admin password waits for the next deployment. */
  adminPasswordStaged: boolean;
}
