// Renders an app's odoo.conf (F16) from its configuration: a pure function, used by View Config
// (with the admin password hidden) and by the deploy (with the real one). Follows Odoo's
// production guidance: behind a proxy, database manager off, one database per app, workers with
// a gevent port, explicit limits. The config patch overrides or adds keys instead of repeating
// them, because odoo.conf rejects a key set twice.
import type { App } from './schemas/apps.js';
import { type AppConfig, parseConfigPatch } from './schemas/config.js';
import type { Secret } from './secrets.js';

export interface OdooConfContext {
  /** The real password (deploy). Absent: a placeholder (View Config). */
  adminPassword?: Secret;
  /** Database connection, when the engine knows it. */
  database?: { host: string; port: number; user: string; password?: Secret };
  httpPort?: number;
  geventPort?: number;
  addonsPath?: readonly string[];
  dataDir?: string;
}

export const ADMIN_PASSWORD_PLACEHOLDER = '<hidden: apps.getAdminPassword shows it>';
export const DB_PASSWORD_PLACEHOLDER = '<hidden: set by the platform>';

/** Where the official Odoo images keep things. */
export const ODOO_IMAGE_LAYOUT = {
  httpPort: 8069,
  geventPort: 8072,
  addonsPath: ['/mnt/extra-addons', '/usr/lib/python3/dist-packages/odoo/addons'],
  dataDir: '/var/lib/odoo',
} as const;

/** `^name$` with the regex characters a database name may hold escaped. */
export function dbfilterFor(databaseName: string): string {
  return `^${databaseName.replace(/[.-]/g, (char) => `\\${char}`)}$`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: a comment line must stay one line
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, ' ');

export function renderOdooConf(
  app: Pick<App, 'id' | 'name' | 'odooVersion'>,
  config: AppConfig,
  ctx: OdooConfContext = {},
): string {
  const options = new Map<string, string>();
  const set = (key: string, value: string | number) => options.set(key, String(value));

  set('admin_passwd', ctx.adminPassword ? ctx.adminPassword.reveal() : ADMIN_PASSWORD_PLACEHOLDER);
  set('db_name', config.databaseName);
  set('dbfilter', dbfilterFor(config.databaseName));
  set('list_db', 'False');
  if (ctx.database) {
    set('db_host', ctx.database.host);
    set('db_port', ctx.database.port);
    set('db_user', ctx.database.user);
    set('db_password', ctx.database.password ? ctx.database.password.reveal() : DB_PASSWORD_PLACEHOLDER);
  }
  set('proxy_mode', 'True');
  set('http_interface', '127.0.0.1');
  set('http_port', ctx.httpPort ?? ODOO_IMAGE_LAYOUT.httpPort);
  // With workers Odoo serves websockets / longpolling from a separate gevent process.
  if (config.workers > 0) set('gevent_port', ctx.geventPort ?? ODOO_IMAGE_LAYOUT.geventPort);
  set('workers', config.workers);
  set('max_cron_threads', config.maxCronThreads);
  set('limit_time_cpu', config.limits.limitTimeCpu);
  set('limit_time_real', config.limits.limitTimeReal);
  set('limit_time_real_cron', config.limits.limitTimeRealCron);
  set('limit_memory_soft', config.limits.limitMemorySoft);
  set('limit_memory_hard', config.limits.limitMemoryHard);
  set('limit_request', config.limits.limitRequest);
  set('addons_path', (ctx.addonsPath ?? ODOO_IMAGE_LAYOUT.addonsPath).join(','));
  set('data_dir', ctx.dataDir ?? ODOO_IMAGE_LAYOUT.dataDir);
  if (config.ocaQueue.enabled) set('server_wide_modules', 'base,web,queue_job');

  for (const { key, value } of parseConfigPatch(config.configPatch).lines) set(key, value);
  if (config.ocaQueue.enabled) {
    const modules = (options.get('server_wide_modules') ?? '').split(',').map((m) => m.trim());
    if (!modules.includes('queue_job'))
      set('server_wide_modules', [...modules.filter(Boolean), 'queue_job'].join(','));
  }

  const lines = [
    `; odoo.conf of app "${oneLine(app.name)}" (${app.id}, Odoo ${app.odooVersion}), rendered by CloudWady.`,
    '; Change it with apps.applyConfig; the next deployment applies it.',
    '[options]',
    ...[...options].map(([key, value]) => `${key} = ${value}`),
  ];
  if (config.ocaQueue.enabled) lines.push('', '[queue_job]', `channels = ${config.ocaQueue.channels}`);
  return `${lines.join('\n')}\n`;
}
