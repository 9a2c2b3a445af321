// SSH hosts: OpenSSH sshd on loopback ports, standing in for customers' servers. One user key
// (kept in the state dir) logs in to every host; each host has its own host key to pin.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { run } from './command.js';
import { DOCKER_SOCKET } from './docker.js';
import { findExecutable, startDaemon, waitFor } from './process.js';
import type { StackSettings } from './settings.js';
import type { SshHost } from './types.js';

const SSHD_INSTALL = 'apt-get install openssh-server';
/** sshd refuses to start without its privilege-separation directory. */
const PRIVSEP_DIR = '/run/sshd';

export interface SshHostSpec {
  name: string;
  port: number;
}

export interface SshHostFiles {
  dir: string;
  hostKey: string;
  authorizedKeys: string;
  pidFile: string;
}

export const sshDir = (stateDir: string) => join(stateDir, 'ssh');
export const userKeyPath = (stateDir: string) => join(sshDir(stateDir), 'id_ed25519');

export function sshHostFiles(stateDir: string, name: string): SshHostFiles {
  const dir = join(sshDir(stateDir), name);
  return {
    dir,
    hostKey: join(dir, 'host_ed25519'),
    authorizedKeys: join(dir, 'authorized_keys'),
    pidFile: join(dir, 'sshd.pid'),
  };
}

/** server-1 always; server-2 with `secondHost`. */
export function sshHostSpecs(settings: Pick<StackSettings, 'ports' | 'secondHost'>): SshHostSpec[] {
  const specs = [{ name: 'server-1', port: settings.ports.ssh }];
  if (settings.secondHost) specs.push({ name: 'server-2', port: settings.ports.ssh2 });
  return specs;
}

export function sshdArgv(sshd: string, port: number, files: SshHostFiles): string[] {
  const options = [
    `Port=${port}`,
    'ListenAddress=127.0.0.1',
    `HostKey=${files.hostKey}`,
    `AuthorizedKeysFile=${files.authorizedKeys}`,
    'PasswordAuthentication=no',
    'KbdInteractiveAuthentication=no',
    'PermitRootLogin=prohibit-password',
    'StrictModes=no', // the state dir's owner/modes are not sshd's business here
    'UsePAM=no',
    `PidFile=${files.pidFile}`,
    'Subsystem=sftp internal-sftp',
    'AllowTcpForwarding=yes',
    'AllowStreamLocalForwarding=yes', // dockerode reaches the Docker socket through it
  ];
  // -f /dev/null: none of the machine's sshd_config applies; -D -e: foreground, log to stderr.
  return [sshd, '-D', '-e', '-f', '/dev/null', ...options.flatMap((option) => ['-o', option])];
}

/** Generates an ed25519 key pair once; later calls keep it (keys are part of the stack's identity). */
export async function ensureKeyPair(path: string, comment: string): Promise<void> {
  if (existsSync(path) && existsSync(`${path}.pub`)) return;
  const keygen = await findExecutable(
    'ssh-keygen',
    ['/usr/bin/ssh-keygen'],
    'apt-get install openssh-client',
  );
  await run([keygen, '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  await chmod(path, 0o600);
}

/** The key blob of an OpenSSH public key line ("ssh-ed25519 AAAA... comment"). */
function publicKeyBlob(line: string): Buffer {
  return Buffer.from(line.trim().split(/\s+/)[1] ?? '', 'base64');
}

/** A real login that runs `true`, with the host key pinned. */
export function sshLoginWorks(host: SshHost, timeoutMs = 5000): Promise<boolean> {
  const expected = publicKeyBlob(host.hostPublicKey);
  return new Promise((resolve, reject) => {
    const client = new Client();
    const fail = (error: Error) => {
      client.end();
      reject(error);
    };
    client
      .on('ready', () => {
        client.exec('true', (error, stream) => {
          if (error) return fail(error);
          stream.on('exit', (code: number) => {
            client.end();
            resolve(code === 0);
          });
          stream.resume();
          stream.stderr.resume();
        });
      })
      .on('error', fail)
      .connect({
        host: host.host,
        port: host.port,
        username: host.username,
        privateKey: host.privateKey,
        hostVerifier: (key: Buffer) => key.equals(expected),
        readyTimeout: timeoutMs,
      });
  });
}

export async function describeHost(settings: StackSettings, spec: SshHostSpec): Promise<SshHost> {
  const files = sshHostFiles(settings.stateDir, spec.name);
  const privateKeyPath = userKeyPath(settings.stateDir);
  return {
    name: spec.name,
    host: '127.0.0.1',
    port: spec.port,
    username: settings.sshUser,
    privateKeyPath,
    privateKey: await readFile(privateKeyPath, 'utf8'),
    hostPublicKey: (await readFile(`${files.hostKey}.pub`, 'utf8')).trim(),
    dockerSocketPath: DOCKER_SOCKET, // every host shares this machine's dockerd for now
  };
}

/** Keys and authorized_keys for one host (idempotent). */
async function prepareHost(settings: StackSettings, spec: SshHostSpec): Promise<SshHostFiles> {
  const files = sshHostFiles(settings.stateDir, spec.name);
  await mkdir(files.dir, { recursive: true, mode: 0o755 });
  await ensureKeyPair(files.hostKey, `cloudwady-stack ${spec.name} host key`);
  // sshd reads authorized_keys as the logged-in user: keep it world-readable (it is public).
  await writeFile(files.authorizedKeys, await readFile(`${userKeyPath(settings.stateDir)}.pub`, 'utf8'), {
    mode: 0o644,
  });
  return files;
}

async function ensureHost(settings: StackSettings, spec: SshHostSpec): Promise<SshHost> {
  const files = await prepareHost(settings, spec);
  const endpoint = await describeHost(settings, spec);
  const where = `${spec.name} (sshd on 127.0.0.1:${spec.port})`;
  if (await sshLoginWorks(endpoint).catch(() => false)) {
    settings.log(`SSH: reusing ${where}`);
    return endpoint;
  }
  const sshd = await findExecutable('sshd', ['/usr/sbin/sshd'], SSHD_INSTALL);
  await mkdir(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  settings.log(`SSH: starting ${where} ...`);
  const daemon = await startDaemon({
    stateDir: settings.stateDir,
    name: `sshd-${spec.name}`,
    argv: sshdArgv(sshd, spec.port, files),
  });
  await waitFor(() => sshLoginWorks(endpoint), {
    what: `${where}: login as ${endpoint.username} with ${endpoint.privateKeyPath}`,
    timeoutMs: 30_000,
    daemon,
    logFile: daemon.logFile,
    fix: `check the log; is port ${spec.port} taken? (override with CLOUDWADY_PORT_SSH / CLOUDWADY_PORT_SSH2)`,
  });
  return endpoint;
}

export async function ensureSsh(settings: StackSettings): Promise<SshHost[]> {
  await mkdir(sshDir(settings.stateDir), { recursive: true, mode: 0o755 });
  await ensureKeyPair(userKeyPath(settings.stateDir), 'cloudwady-stack user key');
  return Promise.all(sshHostSpecs(settings).map((spec) => ensureHost(settings, spec)));
}
