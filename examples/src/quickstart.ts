// The quickstart: what a new CloudWady user runs first (`npm run quickstart`). It brings up the
// local stack, starts a worker, creates a project, a server and an app on a sample addons
// repository, then deploys, updates after a new commit, rolls back, turns maintenance on and
// off, and prints the app's run history as Temporal records it, with the Temporal UI link.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type CloudWadyClient, isCloudWadyError, type RunRef, type RunSummary } from '@cloudwady/sdk';
import { addonFiles, type Stack, startStack } from '@cloudwady/testing';
import { type HistoryRow, historyRows, historyTable, temporalFilterUrl } from './quickstart/history.js';
import { linesOutput, type Output, terminalOutput } from './quickstart/output.js';
import { followRun, seconds } from './quickstart/progress.js';
import { showWorkerWarningsOnly } from './quickstart/worker-logs.js';
import {
  createStackApp,
  getThroughProxy,
  type LocalEngine,
  startLocalEngine,
  uniqueName,
} from './support/local.js';

export interface QuickstartOptions {
  /** Where lines go (default: the terminal, with a live progress line). */
  log?: (line: string) => void;
  /** Lines plus a live line (what `main` passes for the terminal); wins over `log`. */
  output?: Output;
  /** An engine to use and leave running (tests read the runs from it afterwards). */
  engine?: LocalEngine;
}

export interface QuickstartResult {
  appId: string;
  /** The history table as printed: newest run first. */
  history: HistoryRow[];
  /** What runs.list returned for it. */
  runs: RunSummary[];
  temporalUiUrl: string;
  temporalFilterUrl: string;
}

/** The operations the quickstart runs, in order (the history shows them newest first). */
export const QUICKSTART_OPERATIONS = [
  'deploy',
  'update',
  'rollback',
  'enableMaintenance',
  'disableMaintenance',
] as const;

/** A failed step: what the run said, so the message needs no Temporal UI to be understood. */
export class QuickstartError extends Error {
  override readonly name = 'QuickstartError';
}

/** Runs operations one at a time: a "→" line, live progress, then the result or the failure. */
function operator(ada: CloudWadyClient, out: Output) {
  const started: RunRef[] = [];
  async function operate<T>(announce: string, start: () => Promise<RunRef>) {
    out.log(`→ ${announce} ...`);
    const begun = Date.now();
    const run = await start();
    started.push(run);
    const locator = { appId: run.appId, workflowId: run.workflowId };
    const status = await followRun(ada, locator, out);
    if (status !== 'completed') {
      // The run's own log says what went wrong: show its tail here.
      const details = await ada.runs.get(locator);
      const tail = (details?.log ?? []).slice(-15).map((line) => `    | ${line}`);
      const why = details?.failure ?? 'see the run in the Temporal UI';
      throw new QuickstartError(
        [`${run.operation} ${status}: ${why} (workflow ${run.workflowId})`, ...tail].join('\n'),
      );
    }
    const result = (await ada.runs.result(locator)) as T;
    return { run, result, took: seconds(Date.now() - begun) };
  }
  return { operate, started };
}

/** Checks what the app's URL answers through nginx, as a visitor would see it. */
async function expectAnswer(stack: Stack, domain: string, status: number, release?: string) {
  const answer = await getThroughProxy(stack, domain);
  if (answer.status !== status || (release !== undefined && answer.release !== release)) {
    throw new QuickstartError(
      `http://${domain} answered ${answer.status} (release ${answer.release || 'none'}); expected ${status}${release ? ` from ${release}` : ''}.`,
    );
  }
}

/**
 * runs.list reads Temporal's visibility store, which lags the runs by a moment: wait until it
 * lists every run the quickstart started, each with its final status.
 */
async function settledHistory(ada: CloudWadyClient, appId: string, started: RunRef[]): Promise<RunSummary[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { runs } = await ada.runs.list({ appId });
    const settled = started.every((ref) =>
      runs.some((run) => run.workflowId === ref.workflowId && run.status === 'completed'),
    );
    if (settled || Date.now() > deadline) return runs;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function steps(stack: Stack, engine: LocalEngine, out: Output): Promise<QuickstartResult> {
  out.log(
    '→ creating a project, a staging environment, server-1 and an app on a sample addons repository ...',
  );
  const { ada, app, domain, repository } = await createStackApp(engine, stack);
  const server = await ada.servers.get(app.serverId);
  out.log(`✓ project ${app.projectId}, app ${app.name} (${app.id}) in staging`);
  out.log(`  server-1: ssh://${server.ssh.username}@${server.ssh.host}:${server.ssh.port}`);
  out.log(`  repository: ${repository.url} (branch ${repository.branch})`);
  const url = `http://127.0.0.1:${stack.nginx.httpPort} (Host: ${domain})`;
  const { operate, started } = operator(ada, out);

  const deployed = await operate<{ releaseId: string }>(
    `deploying app ${app.name} (build, database, start, route)`,
    () => ada.apps.deploy(app.id),
  );
  await expectAnswer(stack, domain, 200, deployed.result.releaseId);
  out.log(`✓ deployed release ${deployed.result.releaseId} in ${deployed.took}: ${url}`);

  const commit = await repository.commit('Bump cw_hello to 17.0.1.1.0', addonFiles('cw_hello', '17.0.1.1.0'));
  out.log(
    `✓ pushed commit ${commit.slice(0, 12)} to ${repository.branch}: cw_hello 17.0.1.0.0 -> 17.0.1.1.0`,
  );
  const updated = await operate<{ releaseId: string; updatedModules: string[] }>(
    `updating app ${app.name} to ${commit.slice(0, 12)} (fetch, build, update modules, switch)`,
    () => ada.apps.update(app.id),
  );
  await expectAnswer(stack, domain, 200, updated.result.releaseId);
  const modules = updated.result.updatedModules.join(', ') || 'none';
  out.log(
    `✓ updated to release ${updated.result.releaseId} in ${updated.took} (modules updated: ${modules})`,
  );

  const rolledBack = await operate<{ releaseId: string }>(
    `rolling back app ${app.name} to release ${deployed.result.releaseId} (no rebuild)`,
    () => ada.apps.rollback(app.id, { releaseId: deployed.result.releaseId }),
  );
  await expectAnswer(stack, domain, 200, deployed.result.releaseId);
  out.log(`✓ rolled back to release ${rolledBack.result.releaseId} in ${rolledBack.took}: it serves again`);

  const on = await operate(`enabling maintenance on ${app.name}`, () => ada.apps.enableMaintenance(app.id));
  await expectAnswer(stack, domain, 503);
  out.log(`✓ maintenance on in ${on.took}: ${domain} answers 503 with the maintenance page`);
  const off = await operate(`disabling maintenance on ${app.name}`, () =>
    ada.apps.disableMaintenance(app.id),
  );
  await expectAnswer(stack, domain, 200, deployed.result.releaseId);
  out.log(`✓ maintenance off in ${off.took}: ${domain} answers 200 again`);

  const runs = await settledHistory(ada, app.id, started);
  const history = historyRows(runs);
  out.log('');
  out.log(`Run history of ${app.name} (client.runs.list({ appId: '${app.id}' })):`);
  for (const line of historyTable(history)) out.log(`  ${line}`);
  const filterUrl = temporalFilterUrl(stack.temporal.uiUrl, app.id, stack.temporal.namespace);
  out.log('');
  out.log(`Temporal UI: ${stack.temporal.uiUrl}`);
  out.log(`  this app's runs: ${filterUrl}`);
  out.log(`The app: ${url}; in a browser: http://${domain}:${stack.nginx.httpPort}/`);
  return { appId: app.id, history, runs, temporalUiUrl: stack.temporal.uiUrl, temporalFilterUrl: filterUrl };
}

/** The whole quickstart; the local stack stays up afterwards, the engine (worker) stops unless given. */
export async function runQuickstart(options: QuickstartOptions = {}): Promise<QuickstartResult> {
  const out = options.output ?? (options.log ? linesOutput(options.log) : terminalOutput());
  const begun = Date.now();
  out.log('→ starting the local stack (Temporal, Docker, SSH, PostgreSQL, nginx, Pebble, images) ...');
  const stack = await startStack({ log: (line) => out.log(`  ${line}`) });
  out.log(`✓ local stack up in ${seconds(Date.now() - begun)} (state in ${stack.stateDir})`);
  let engine = options.engine;
  if (!engine) {
    out.log('→ starting the engine: the SDK on SQLite, a Temporal gateway and a worker ...');
    engine = await startLocalEngine(stack, uniqueName('quickstart'));
    out.log(`✓ worker polling task queue ${engine.gateway.taskQueue}`);
  }
  try {
    const result = await steps(stack, engine, out);
    out.log(`✓ quickstart done in ${seconds(Date.now() - begun)}`);
    return result;
  } finally {
    if (!options.engine) {
      await engine.stop();
      out.log('The local stack keeps running for the next run; stop it with: npm run stack -- down');
    }
  }
}

async function main(): Promise<number> {
  const output = terminalOutput();
  showWorkerWarningsOnly(output);
  try {
    await runQuickstart({ output });
    return 0;
  } catch (error) {
    const what = isCloudWadyError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
    process.stderr.write(`\n✗ quickstart failed: ${what}\n`);
    if (!(error instanceof QuickstartError) && !isCloudWadyError(error)) {
      process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    }
    process.stderr.write('  Check the local stack with: npm run stack -- status\n');
    return 1;
  }
}

// Runs only when executed (node examples/dist/quickstart.js), not when imported by a test.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  main().then((code) => {
    // Temporal's native connections can hold the event loop: exit once the work is done.
    process.exit(code);
  });
}
