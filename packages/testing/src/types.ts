// The contract of the local stack. Other packages' tests, the examples and users' own tests
// program against these types only; how each piece is started lives in its own module.

/** Services the stack can start. `startStack({ services })` starts only those (and what they need). */
export type StackService = 'temporal' | 'docker' | 'ssh' | 'postgres' | 'nginx' | 'pebble' | 'images';

export interface StackPorts {
  temporal: number; // gRPC frontend, default 17233
  temporalUi: number; // Temporal Web UI, default 18233
  ssh: number; // first SSH host, default 12222
  ssh2: number; // second SSH host (only when `secondHost`), default 12223
  postgres: number; // default 15432
  nginxHttp: number; // default 18080
  nginxHttps: number; // default 18443
  pebble: number; // ACME directory (HTTPS), default 14000
  pebbleManagement: number; // default 15000
  challtestsrvManagement: number; // default 18055
  challtestsrvDns: number; // default 18053
}

export interface StackOptions {
  /**
   * Where keys, data, logs and pid files live. Env CLOUDWADY_STACK_DIR, else /var/lib/cloudwady/stack
   * as root (PostgreSQL and nginx workers cannot enter root's 0700 home), else ~/.cache/cloudwady/stack.
   */
  stateDir?: string;
  /** Override any port; env CLOUDWADY_PORT_<NAME> (e.g. CLOUDWADY_PORT_TEMPORAL) works too. */
  ports?: Partial<StackPorts>;
  /** Explicit Temporal CLI path. Env CLOUDWADY_TEMPORAL_CLI; then `temporal` on PATH. */
  temporalCli?: string;
  /** Start only these services (default: all). */
  services?: StackService[];
  /** Also start a second SSH host (a second "server"). */
  secondHost?: boolean;
  /** OS user the SSH hosts log in as (default "root": it reaches the Docker socket, as with Kamal). */
  sshUser?: string;
  /** Progress lines ("starting PostgreSQL on 127.0.0.1:15432 ..."). Default: silent. */
  log?: (line: string) => void;
}

export interface TemporalEndpoint {
  address: string; // "127.0.0.1:17233"
  namespace: string; // "default"
  uiUrl: string; // "http://127.0.0.1:18233"
  cliPath: string;
  searchAttributes: Record<string, 'Keyword' | 'Text' | 'Int' | 'Datetime' | 'Bool' | 'KeywordList'>;
}

export interface DockerEndpoint {
  socketPath: string; // "/var/run/docker.sock"
}

/** A server reachable over SSH, like a customer's Odoo host. */
export interface SshHost {
  name: string; // "server-1", "server-2"
  host: string; // "127.0.0.1"
  port: number;
  username: string;
  privateKeyPath: string;
  privateKey: string; // PEM/OpenSSH text of the user's key
  hostPublicKey: string; // the host key's public line, to pin in known_hosts checks
  dockerSocketPath: string; // the Docker socket on that host
}

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string; // a superuser for tests and for Odoo containers
  password: string;
  database: string; // "postgres"
  url: string; // postgres://user:password@127.0.0.1:15432/postgres
}

export interface NginxEndpoint {
  httpPort: number;
  httpsPort: number;
  prefix: string; // nginx -p
  configPath: string; // nginx -c
  /** Directory of per-app site files that the main config includes (`*.conf`). */
  sitesDir: string;
  /** Directory served at /.well-known/acme-challenge/ on every host name (HTTP-01). */
  acmeChallengeDir: string;
  /** nginx snippet serving acmeChallengeDir: `include` it in a site's server block so HTTP-01 keeps working. */
  acmeChallengeSnippet: string;
  /** argv that reloads this nginx (run on the host, e.g. over SSH). */
  reloadArgv: string[];
  /** argv that tests the configuration (`nginx -t`). */
  testArgv: string[];
}

export interface PebbleEndpoint {
  directoryUrl: string; // https://127.0.0.1:14000/dir
  /** CA that signed Pebble's own HTTPS certificate: trust it (NODE_EXTRA_CA_CERTS or `ca`). */
  tlsCaPath: string;
  managementUrl: string; // https://127.0.0.1:15000 (roots/intermediates of issued certs)
  challtestsrvUrl: string; // http://127.0.0.1:18055
}

export interface StackImages {
  /** debootstrap'd Debian bookworm, imported without any registry. */
  base: string;
  /** TEST FIXTURE: the Odoo stand-in image, by Odoo version ("17.0", "18.0"). */
  odoo: Record<string, string>;
}

export interface Stack {
  stateDir: string;
  ports: StackPorts;
  temporal: TemporalEndpoint;
  docker: DockerEndpoint;
  hosts: SshHost[];
  postgres: PostgresEndpoint;
  nginx: NginxEndpoint;
  pebble: PebbleEndpoint;
  images: StackImages;
  /** Stops what this call started (things that were already running are left running). */
  stop(): Promise<void>;
}
