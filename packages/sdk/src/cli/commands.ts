// The CLI's commands as a table: each row names its words, positional arguments and options,
// and maps them to one SDK call plus how to print its answer. Nothing here talks to a terminal.
import type { CloudWadyClient } from '../client.js';
import { NotFoundError } from '../errors.js';
import type { RunDetails, RunEvent, RunPage, RunRef, RunStep, RunSummary } from '../operations.js';
import type { App } from '../schemas/apps.js';
import type { Release } from '../schemas/releases.js';
import { type Column, formatDuration, formatFields, formatTable, formatTime } from './format.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The command cannot run without it (a usage error, exit 2). */
  required?: boolean;
  /** Shown in the usage text, e.g. "<releaseId>". */
  hint?: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandInput {
  /** Positional arguments by their names in `args`. */
  args: Record<string, string>;
  values: OptionValues;
}

export interface CommandContext {
  client: CloudWadyClient;
  /** Progress lines while a command waits (the CLI sends them to stderr). */
  progress: (line: string) => void;
}

/** What a command answers: `data` is printed with --json, `text` otherwise. */
export interface Output {
  data: unknown;
  text: string;
}

export interface CommandSpec {
  group: string;
  verb: string;
  args: readonly string[];
  options?: Readonly<Record<string, OptionSpec>>;
  summary: string;
  /** Starts or reads operations, so it needs the Temporal gateway. */
  engine?: boolean;
  run(ctx: CommandContext, input: CommandInput): Promise<Output>;
}

const strings = (value: OptionValues[string]): string[] | undefined => {
  if (value === undefined || typeof value === 'boolean') return undefined;
  // `--status failed,canceled` and `--status failed --status canceled` mean the same.
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim());
  return list.filter((v) => v !== '');
};

const str = (value: OptionValues[string]): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** "enable-maintenance" -> "enableMaintenance": CLI words are the SDK's verbs in kebab case. */
export const camelCase = (word: string) => word.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
export const kebabCase = (word: string) => word.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const appColumns: Column<App>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'name', value: (a) => a.name },
  { header: 'environment', value: (a) => a.environmentType },
  { header: 'state', value: (a) => a.state },
  { header: 'odoo', value: (a) => a.odooVersion },
  { header: 'url', value: (a) => a.primaryUrl ?? '-' },
];

export const runColumns: Column<RunSummary>[] = [
  { header: 'operation', value: (r) => kebabCase(r.operation) },
  { header: 'status', value: (r) => r.status },
  { header: 'user', value: (r) => r.actor.name ?? r.actor.userId },
  { header: 'triggered', value: (r) => formatTime(r.triggeredAt) },
  { header: 'duration', value: (r) => formatDuration(r.durationMs) },
  { header: 'workflow', value: (r) => r.workflowId },
];

const releaseColumns: Column<Release>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'current', value: (r) => (r.current ? '*' : '') },
  { header: 'commit', value: (r) => r.commitSha.slice(0, 12) },
  { header: 'fingerprint', value: (r) => r.fingerprint.slice(0, 12) },
  { header: 'by', value: (r) => r.createdBy },
  { header: 'created', value: (r) => formatTime(r.createdAt) },
];

const STEP_MARKS: Partial<Record<RunStep['status'], string>> = {
  running: '→',
  completed: '✓',
  failed: '✗',
  timed_out: '✗',
  canceled: '-',
};

/**
 * One progress line per watched event worth a person's attention: a step starting or ending,
 * the run leaving "pending", a failed end. Null for the rest (the final answer says "completed").
 */
export function describeEvent(event: RunEvent): string | null {
  switch (event.type) {
    case 'status':
      return event.status === 'executing' ? '  executing' : null;
    case 'step': {
      const { step } = event;
      const mark = STEP_MARKS[step.status];
      if (!mark) return null;
      const label = step.label || step.name;
      if (step.status === 'running')
        return `  ${mark} ${label}${step.attempts > 1 ? ` (attempt ${step.attempts})` : ''}`;
      const attempts = step.attempts > 1 ? ` after ${step.attempts} attempts` : '';
      const failure = step.failure ? `: ${step.failure}` : '';
      return `  ${mark} ${label} ${formatDuration(step.durationMs)}${attempts}${failure}`;
    }
    case 'end':
      return event.status === 'completed'
        ? null
        : `  ${event.status}${event.failure ? `: ${event.failure}` : ''}`;
    default:
      return null;
  }
}

function runDetailsText(run: RunDetails): string {
  const header = formatFields([
    ['workflow', run.workflowId],
    ['operation', kebabCase(run.operation)],
    ['status', run.status],
    ['user', run.actor.name ? `${run.actor.name} (${run.actor.userId})` : run.actor.userId],
    ['triggered', formatTime(run.triggeredAt)],
    ['completed', formatTime(run.completedAt)],
    ['duration', formatDuration(run.durationMs)],
    ['summary', run.summary],
    ...(run.failure ? [['failure', run.failure] as const] : []),
  ]);
  const steps = formatTable(run.steps, [
    { header: 'step', value: (s) => s.label || s.name },
    { header: 'status', value: (s) => s.status },
    { header: 'attempts', value: (s) => String(s.attempts) },
    { header: 'duration', value: (s) => formatDuration(s.durationMs) },
  ]);
  const log = run.log.length > 0 ? `\n\nlog:\n${run.log.map((line) => `  ${line}`).join('\n')}` : '';
  return `${header}\n\nsteps:\n${steps}${log}`;
}

/** Starts an app operation; with --wait follows it to its end and prints its result. */
async function operate(
  ctx: CommandContext,
  appId: string,
  start: () => Promise<RunRef | null>,
  wait: boolean,
): Promise<Output> {
  const run = await start();
  if (run === null) {
    // Destroy of a draft app: nothing ran anywhere, the records are gone already.
    return {
      data: { run: null, removed: true },
      text: `App ${appId} was a draft: its records were removed at once.`,
    };
  }
  const follow = `cloudwady runs get ${run.workflowId} --app ${run.appId}`;
  if (!wait) {
    return {
      data: run,
      text: `started ${kebabCase(run.operation)} (workflow ${run.workflowId})\nfollow it: ${follow}`,
    };
  }
  const locator = { appId: run.appId, workflowId: run.workflowId };
  const startedAt = Date.now();
  for await (const event of ctx.client.runs.watch(locator)) {
    const line = describeEvent(event);
    if (line) ctx.progress(line);
  }
  // result() throws the run's failure as an OperationFailedError (exit 1).
  const result = await ctx.client.runs.result(locator);
  const took = formatDuration(Date.now() - startedAt);
  const resultText =
    result && typeof result === 'object'
      ? `\n${formatFields(Object.entries(result as Record<string, unknown>))}`
      : '';
  return {
    data: { run, status: 'completed', result: result ?? null },
    text: `${kebabCase(run.operation)} completed in ${took} (workflow ${run.workflowId})${resultText}`,
  };
}

/** An app operation's own input, from its options (most operations have none). */
interface OperationSpec {
  summary: string;
  options?: Record<string, OptionSpec>;
  input?: (values: OptionValues) => unknown;
}

/** Every app operation of the SDK, by its CLI word (`apps.<camelCase word>` in the SDK). */
export const APP_OPERATIONS: Readonly<Record<string, OperationSpec>> = {
  deploy: { summary: 'build the main branch, configure, start, health-check, route' },
  update: { summary: "pull the branch's latest commit, update changed modules, restart" },
  restart: { summary: 'restart the service without rebuilding' },
  'update-config': { summary: 'push the staged configuration without a full redeploy' },
  'enable-maintenance': { summary: "the app's URLs answer with the maintenance page" },
  'disable-maintenance': { summary: 'the URLs go back to the running release' },
  rollback: {
    summary: 'run an earlier release again, without rebuilding',
    options: { release: { type: 'string', required: true, hint: '<releaseId>' } },
    input: (values) => ({ releaseId: str(values.release) }),
  },
  retry: { summary: 'retry the failed or canceled operation' },
  backup: {
    summary: 'back up database and filestore now',
    options: { note: { type: 'string', hint: '<text>' } },
    input: (values) => (values.note === undefined ? undefined : { note: str(values.note) }),
  },
  restore: {
    summary: 'restore a completed backup into this app',
    options: { backup: { type: 'string', required: true, hint: '<backupId>' } },
    input: (values) => ({ backupId: str(values.backup) }),
  },
  'renew-ssl': { summary: "renew the app's SSL certificates" },
  'deploy-ssl-certificates': { summary: 'deploy certificates for every URL with an SSL provider' },
  'sync-variables': { summary: 'push environment variables to the server' },
  'sync-server-backups': { summary: 'reconcile backup records with the storage' },
  'setup-logs': { summary: 'apply the logging configuration' },
  'delete-instance': { summary: 'remove the deployed instance, keep the app (Admin)' },
  destroy: { summary: 'remove the app completely (Admin)' },
};

type OperationMethod = (appId: string, input?: unknown) => Promise<RunRef | null>;

function operationCommand(word: string, spec: OperationSpec): CommandSpec {
  return {
    group: 'apps',
    verb: word,
    args: ['appId'],
    options: { ...spec.options, wait: { type: 'boolean' } },
    summary: spec.summary,
    engine: true,
    run(ctx, { args, values }) {
      const apps = ctx.client.apps as unknown as Record<string, OperationMethod>;
      const method = apps[camelCase(word)];
      if (!method) throw new Error(`the SDK has no apps.${camelCase(word)}`);
      const input = spec.input?.(values);
      const appId = args.appId ?? '';
      return operate(
        ctx,
        appId,
        () => (input === undefined ? method(appId) : method(appId, input)),
        values.wait === true,
      );
    },
  };
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    group: 'apps',
    verb: 'list',
    args: [],
    options: {
      project: { type: 'string', required: true, hint: '<projectId>' },
      environment: { type: 'string', hint: '<environmentId>' },
      server: { type: 'string', hint: '<serverId>' },
    },
    summary: "a project's apps (optionally of one environment or server)",
    async run({ client }, { values }) {
      const apps = await client.apps.list({
        projectId: str(values.project) as string,
        environmentId: str(values.environment),
        serverId: str(values.server),
      });
      return { data: apps, text: formatTable(apps, appColumns) };
    },
  },
  {
    group: 'apps',
    verb: 'get',
    args: ['appId'],
    summary: 'one app',
    async run({ client }, { args }) {
      const app = await client.apps.get(args.appId ?? '');
      return { data: app, text: formatFields(Object.entries(app)) };
    },
  },
  ...Object.entries(APP_OPERATIONS).map(([word, spec]) => operationCommand(word, spec)),
  {
    group: 'runs',
    verb: 'list',
    args: ['appId'],
    options: {
      status: { type: 'string', multiple: true, hint: 'pending|executing|completed|failed|canceled' },
      operation: { type: 'string', multiple: true, hint: '<operation>' },
      from: { type: 'string', hint: '<iso time>' },
      to: { type: 'string', hint: '<iso time>' },
      limit: { type: 'string', hint: '<n>' },
      'page-token': { type: 'string', hint: '<token>' },
    },
    summary: "an app's workflow history, newest first",
    engine: true,
    async run({ client }, { args, values }) {
      const limit = str(values.limit);
      const page: RunPage = await client.runs.list({
        appId: args.appId ?? '',
        status: strings(values.status) as RunSummary['status'][] | undefined,
        operation: strings(values.operation)?.map(camelCase) as never,
        from: str(values.from),
        to: str(values.to),
        // A non-number reaches the SDK as NaN, which its validation rejects with a clear message.
        pageSize: limit === undefined ? undefined : Number(limit),
        pageToken: str(values['page-token']),
      });
      const more = page.nextPageToken ? `\n\nolder runs: --page-token ${page.nextPageToken}` : '';
      return { data: page, text: `${formatTable(page.runs, runColumns)}${more}` };
    },
  },
  {
    group: 'runs',
    verb: 'get',
    args: ['workflowId'],
    options: { app: { type: 'string', required: true, hint: '<appId>' } },
    summary: 'one run with its steps and full log',
    engine: true,
    async run({ client }, { args, values }) {
      const run = await client.runs.get({ appId: str(values.app) ?? '', workflowId: args.workflowId ?? '' });
      if (!run) throw new NotFoundError('run', args.workflowId ?? '');
      return { data: run, text: runDetailsText(run) };
    },
  },
  {
    group: 'releases',
    verb: 'list',
    args: ['appId'],
    summary: "an app's releases, newest first (* = current)",
    async run({ client }, { args }) {
      const releases = await client.releases.list(args.appId ?? '');
      return { data: releases, text: formatTable(releases, releaseColumns) };
    },
  },
];

export function findCommand(group: string | undefined, verb: string | undefined): CommandSpec | undefined {
  return COMMANDS.find((c) => c.group === group && c.verb === verb);
}
