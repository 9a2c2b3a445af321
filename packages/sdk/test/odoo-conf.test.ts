// The odoo.conf renderer (F16): Odoo's production guidance, the config patch, secrets.

import {
  ADMIN_PASSWORD_PLACEHOLDER,
  type AppConfig,
  appConfigSchema,
  configHash,
  DEFAULT_APP_CONFIG,
  dbfilterFor,
  renderOdooConf,
  Secret,
} from '@cloudwady/sdk';
import { describe, expect, it } from 'vitest';

const app = { id: 'app_0000000000000000', name: 'Shop', odooVersion: '17.0' as const };
const config = (patch: Partial<AppConfig> = {}): AppConfig =>
  appConfigSchema.parse({ ...DEFAULT_APP_CONFIG, databaseName: 'shop', ...patch });

/** The [options] settings as a map (and a check that no key appears twice). */
function options(conf: string): Map<string, string> {
  const section = conf.split('\n[queue_job]')[0] ?? '';
  const map = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^([a-z_]+) = (.*)$/.exec(line);
    if (!match) continue;
    expect(map.has(match[1] as string), `${match[1]} set twice`).toBe(false);
    map.set(match[1] as string, match[2] as string);
  }
  return map;
}

describe('renderOdooConf', () => {
  it('follows Odoo production guidance', () => {
    const conf = renderOdooConf(app, config());
    expect(conf.split('\n').filter((l) => l.startsWith('['))).toEqual(['[options]']);
    expect(Object.fromEntries(options(conf))).toEqual({
      admin_passwd: ADMIN_PASSWORD_PLACEHOLDER,
      db_name: 'shop',
      dbfilter: '^shop$',
      list_db: 'False',
      proxy_mode: 'True',
      http_interface: '127.0.0.1',
      http_port: '8069',
      gevent_port: '8072',
      workers: '2',
      max_cron_threads: '1',
      limit_time_cpu: '60',
      limit_time_real: '120',
      limit_time_real_cron: '300',
      limit_memory_soft: '2147483648',
      limit_memory_hard: '2684354560',
      limit_request: '65536',
      addons_path: '/mnt/extra-addons,/usr/lib/python3/dist-packages/odoo/addons',
      data_dir: '/var/lib/odoo',
    });
  });

  it('has no gevent port without workers, and uses the context the engine gives', () => {
    const conf = renderOdooConf(app, config({ workers: 0 }), {
      adminPassword: new Secret('s3cret-admin'),
      database: { host: '127.0.0.1', port: 15432, user: 'odoo', password: new Secret('db-pass') },
      httpPort: 18069,
      geventPort: 18072,
      addonsPath: ['/opt/addons'],
      dataDir: '/srv/odoo',
    });
    const o = options(conf);
    expect(o.has('gevent_port')).toBe(false);
    expect(o.get('admin_passwd')).toBe('s3cret-admin');
    expect(o.get('db_password')).toBe('db-pass');
    expect([o.get('db_host'), o.get('db_port'), o.get('db_user')]).toEqual(['127.0.0.1', '15432', 'odoo']);
    expect([o.get('http_port'), o.get('addons_path'), o.get('data_dir')]).toEqual([
      '18069',
      '/opt/addons',
      '/srv/odoo',
    ]);
  });

  it('lets the config patch override and add keys without repeating any', () => {
    const conf = renderOdooConf(
      app,
      config({
        configPatch:
          '[options]\nlimit_time_cpu = 600\n# note\nlog_level = debug\nserver_wide_modules = base,web,dbfilter_from_header',
      }),
    );
    const o = options(conf);
    expect(o.get('limit_time_cpu')).toBe('600');
    expect(o.get('log_level')).toBe('debug');
    expect(o.get('server_wide_modules')).toBe('base,web,dbfilter_from_header');
  });

  it('loads queue_job and renders its channels with the OCA queue on', () => {
    const conf = renderOdooConf(
      app,
      config({
        ocaQueue: { enabled: true, channels: 'root:4,root.mail:1' },
        configPatch: 'server_wide_modules = base,web',
      }),
    );
    expect(options(conf).get('server_wide_modules')).toBe('base,web,queue_job');
    expect(conf.endsWith('[queue_job]\nchannels = root:4,root.mail:1\n')).toBe(true);
  });

  it('escapes the database name in dbfilter and keeps the app name on one comment line', () => {
    expect(dbfilterFor('shop.prod-2')).toBe('^shop\\.prod\\-2$');
    const conf = renderOdooConf({ ...app, name: 'Evil\n[options]\nadmin_passwd = x' }, config());
    expect(conf.split('\n')[0]).toMatch(/^; odoo\.conf of app "Evil \[options\] admin_passwd = x"/);
    expect(options(conf).get('admin_passwd')).toBe(ADMIN_PASSWORD_PLACEHOLDER);
  });
});

describe('configHash', () => {
  it('is the same for the same fields in any order, and differs for any change', () => {
    const a = config();
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(a).reverse())),
    ) as AppConfig;
    expect(configHash(reordered)).toBe(configHash(a));
    expect(configHash(config({ workers: 3 }))).not.toBe(configHash(a));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});
