// The cloudwady CLI: argument parsing and output formatting as pure functions, then whole
// command lines run against a real SQLite store (operations through a recording gateway).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HelpRequest, type Invocation, parseInvocation, usage } from '../src/cli/args.js';
import { COMMANDS, camelCase, describeEvent, kebabCase } from '../src/cli/commands.js';
import { formatDuration, formatError, formatTable, formatTime } from '../src/cli/format.js';
import { type CliDependencies, exitCodeFor, runCli } from '../src/cli/main.js';
import {
  CloudWady,
  type CloudWadyClient,
  ForbiddenError,
  NotFoundError,
  type RunSummary,
  ValidationError,
} from '../src/index.js';
import type { RunPage, RunQuery } from '../src/operations.js';
import { RecordingGateway } from './support/gateway.js';
import { makeWorld, type World } from './support/world.js';

const invocation = (argv: string[]) => parseInvocation(argv) as Invocation;

function usageError(argv: string[]): ValidationError {
  try {
    parseInvocation(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`"${argv.join(' ')}" parsed`);
}

describe('argument parsing', () => {
  it('maps words to a command, positionals to its arguments and options to values', () => {
    const rollback = invocation(['apps', 'rollback', 'app_1', '--release', 'rel_1', '--wait', '--json']);
    expect(rollback.command.verb).toBe('rollback');
    expect(rollback.command.engine).toBe(true);
    expect(rollback.input.args).toEqual({ appId: 'app_1' });
    expect(rollback.input.values).toMatchObject({ release: 'rel_1', wait: true, json: true });
    expect(rollback.json).toBe(true);

    const list = invocation(['runs', 'list', 'app_1', '--status', 'failed', '--status', 'canceled']);
    expect(list.input.values.status).toEqual(['failed', 'canceled']);
    expect(list.json).toBe(false);
    expect(invocation(['apps', 'list', '--project', 'prj_1']).command.engine).toBeFalsy();
  });

  it('offers every operation of the brief, named like the SDK verbs', () => {
    const verbs = COMMANDS.filter((c) => c.group === 'apps').map((c) => c.verb);
    for (const verb of [
      'deploy',
      'update',
      'restart',
      'update-config',
      'enable-maintenance',
      'disable-maintenance',
      'rollback',
    ]) {
      expect(verbs).toContain(verb);
    }
    expect(camelCase('enable-maintenance')).toBe('enableMaintenance');
    expect(kebabCase('deploySslCertificates')).toBe('deploy-ssl-certificates');
  });

  it('answers help with the usage text instead of running anything', () => {
    expect((parseInvocation([]) as HelpRequest).help).toBe(usage());
    expect((parseInvocation(['--help']) as HelpRequest).help).toContain(
      'runs get <workflowId> --app <appId>',
    );
    expect((parseInvocation(['apps', 'rollback', '-h']) as HelpRequest).help).toBe(
      'cloudwady apps rollback <appId> --release <releaseId> [--wait] [--json]',
    );
    expect(usage()).toContain('CLOUDWADY_USER');
  });

  it('rejects usage mistakes as validation errors that show the usage line', () => {
    expect(usageError(['apps', 'frobnicate', 'app_1']).message).toContain(
      'Unknown command "apps frobnicate"',
    );
    const typo = usageError(['apps', 'rollback', 'app_1', '--relase', 'rel_1']);
    expect(typo.message).toContain("'--relase'");
    expect(typo.message).toContain('Usage: cloudwady apps rollback <appId> --release <releaseId>');
    expect(usageError(['apps', 'rollback', 'app_1']).message).toContain('Missing --release');
    expect(usageError(['apps', 'deploy']).message).toContain('Expected <appId>, got []');
    expect(usageError(['apps', 'deploy', 'app_1', 'app_2']).message).toContain('Expected <appId>');
    expect(usageError(['apps', 'list']).message).toContain('Missing --project');
  });
});

describe('output formatting', () => {
  it('aligns table columns under upper-case headers', () => {
    const rows = [
      { op: 'deploy', status: 'completed' },
      { op: 'enable-maintenance', status: 'failed' },
    ];
    const table = formatTable(rows, [
      { header: 'operation', value: (r) => r.op },
      { header: 'status', value: (r) => r.status },
    ]);
    expect(table.split('\n')).toEqual([
      'OPERATION           STATUS',
      'deploy              completed',
      'enable-maintenance  failed',
    ]);
    expect(formatTable([], [{ header: 'x', value: String }])).toBe('(none)');
  });

  it('prints durations and times for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(14_200)).toBe('14.2 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(null)).toBe('-');
    expect(formatTime('2025-01-31T12:00:05.123Z')).toBe('2025-01-31 12:00:05');
    expect(formatTime(null)).toBe('-');
  });

  it('prints an error as its code and message, or as JSON; exit codes by code', () => {
    const denied = new ForbiddenError('Only an Admin may destroy an app.', null);
    expect(formatError(denied, false)).toBe('cloudwady: forbidden: Only an Admin may destroy an app.\n');
    expect(JSON.parse(formatError(denied, true))).toEqual({
      error: { code: 'forbidden', message: 'Only an Admin may destroy an app.' },
    });
    expect(exitCodeFor(denied)).toBe(3);
    expect(exitCodeFor(ValidationError.forField(['x'], 'bad'))).toBe(2);
    expect(exitCodeFor(new NotFoundError('app', 'app_x'))).toBe(1);
    expect(exitCodeFor(new Error('boom'))).toBe(1);
  });

  it('describes watched steps with their duration and attempts', () => {
    const step = {
      name: 'buildImage',
      label: 'Build image',
      serverId: null,
      status: 'completed' as const,
      attempts: 2,
      startedAt: null,
      completedAt: null,
      durationMs: 3200,
      log: [],
    };
    expect(describeEvent({ type: 'step', step, at: '' })).toBe('  ✓ Build image 3.2 s after 2 attempts');
    expect(describeEvent({ type: 'step', step: { ...step, status: 'running', attempts: 1 }, at: '' })).toBe(
      '  → Build image',
    );
    expect(describeEvent({ type: 'step', step: { ...step, status: 'scheduled' }, at: '' })).toBeNull();
    expect(
      describeEvent({
        type: 'step',
        step: { ...step, status: 'failed', attempts: 1, failure: 'no space' },
        at: '',
      }),
    ).toBe('  ✗ Build image 3.2 s: no space');
    expect(describeEvent({ type: 'end', status: 'failed', failure: 'unhealthy', at: '' })).toBe(
      '  failed: unhealthy',
    );
    expect(describeEvent({ type: 'end', status: 'completed', at: '' })).toBeNull();
    expect(describeEvent({ type: 'log', step: 'x', line: 'y', at: '' })).toBeNull();
  });
});

/** Records the run filters it is asked for and answers with fixed runs. */
class HistoryGateway extends RecordingGateway {
  readonly queries: RunQuery[] = [];
  runs: RunSummary[] = [];

  async listRuns(query: RunQuery): Promise<RunPage> {
    this.queries.push(query);
    return { runs: this.runs, nextPageToken: null };
  }
}

describe('cloudwady against a SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudwady-cli-'));
  const database = join(dir, 'cloudwady.db');
  let root: CloudWadyClient;
  let world: World;
  const gateway = new HistoryGateway();
  let closed = 0;
  const dependencies: CliDependencies = {
    connectOperations: async () => ({
      gateway,
      close: async () => {
        closed++;
      },
    }),
  };

  async function cli(argv: string[], user: string | null = world.as.admin.actor?.userId ?? null) {
    let stdout = '';
    let stderr = '';
    const env = { CLOUDWADY_DATABASE_URL: database, ...(user ? { CLOUDWADY_USER: user } : {}) };
    const code = await runCli(
      argv,
      { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
      dependencies,
    );
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    // No secret key given: CLI and this client share the key file beside the database.
    root = await CloudWady.connect({ store: { sqlite: database } });
    world = await makeWorld(root);
  });

  afterAll(async () => {
    await root.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('apps list prints the project apps as JSON and as a table', async () => {
    const json = await cli(['apps', 'list', '--project', world.project.id, '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const apps = JSON.parse(json.stdout) as { id: string; state: string }[];
    expect(apps.map((a) => a.id).sort()).toEqual(
      Object.values(world.app)
        .map((a) => a.id)
        .sort(),
    );

    const text = await cli(['apps', 'list', '--project', world.project.id]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+ENVIRONMENT\s+STATE\s+ODOO\s+URL$/);
    expect(lines).toHaveLength(4);
    expect(text.stdout).toContain(world.app.production.id);
  });

  it('exits 3 when the user may not, 2 on bad input or no user, 1 when not found', async () => {
    const outsider = await cli(
      ['apps', 'list', '--project', world.project.id],
      world.as.outsider.actor?.userId,
    );
    expect(outsider.code).toBe(3);
    expect(outsider.stderr).toMatch(/^cloudwady: forbidden: /);
    expect(outsider.stdout).toBe('');

    const anonymous = await cli(['apps', 'list', '--project', world.project.id], null);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toContain('CLOUDWADY_USER');

    const badId = await cli(['apps', 'get', 'not-an-id', '--json']);
    expect(badId.code).toBe(2);
    expect(JSON.parse(badId.stderr).error.code).toBe('validation_failed');

    const missing = await cli(['releases', 'list', 'app_0000000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cloudwady: not_found: No app with id "app_0000000000000000"/);
  });

  it('apps deploy starts the operation through the gateway and prints its run', async () => {
    const app = world.app.development;
    const before = closed;
    const started = await cli(['apps', 'deploy', app.id, '--json']);
    expect(started.code).toBe(0);
    const run = JSON.parse(started.stdout);
    expect(run).toMatchObject({ operation: 'deploy', appId: app.id });
    expect(gateway.last()?.operation).toBe('deploy');
    expect(gateway.last()?.actor.userId).toBe(world.as.admin.actor?.userId);
    expect(closed).toBe(before + 1);

    // Text output names the run and how to follow it (this gateway's ids are "<appId>-<n>").
    const production = world.app.production.id;
    const text = await cli(['apps', 'deploy', production]);
    expect(text.stderr).toBe('');
    const workflowId = `${production}-${gateway.requests.length}`;
    expect(text.stdout).toBe(
      `started deploy (workflow ${workflowId})\nfollow it: cloudwady runs get ${workflowId} --app ${production}\n`,
    );

    // CLI words map to SDK verbs; the SDK's state rules answer (wrong_state exits 1).
    const draft = await cli(['apps', 'update-config', production]);
    expect(draft.code).toBe(1);
    expect(draft.stderr).toMatch(/^cloudwady: wrong_state: Update Config is only available when .*deployed/);

    // A viewer may not deploy: nothing reaches the gateway.
    const count = gateway.requests.length;
    const viewer = await cli(['apps', 'deploy', app.id], world.as.viewer.actor?.userId);
    expect(viewer.code).toBe(3);
    expect(gateway.requests).toHaveLength(count);
  });

  it('runs list passes the filters through and prints the history table', async () => {
    const app = world.app.staging;
    gateway.runs = [
      {
        workflowId: `rollback-${app.id}-1`,
        runId: 'r2',
        operation: 'rollback',
        appId: app.id,
        status: 'failed',
        actor: { userId: 'ada', name: 'Ada' },
        triggeredAt: '2025-01-31T12:01:00.000Z',
        completedAt: '2025-01-31T12:01:03.000Z',
        durationMs: 3000,
        summary: 'Rollback',
      },
    ];
    const result = await cli([
      'runs',
      'list',
      app.id,
      '--status',
      'failed,canceled',
      '--operation',
      'enable-maintenance',
      '--limit',
      '5',
    ]);
    expect(result.code).toBe(0);
    expect(gateway.queries.at(-1)).toMatchObject({
      appId: app.id,
      status: ['failed', 'canceled'],
      operation: ['enableMaintenance'],
      pageSize: 5,
    });
    const [header, row] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^OPERATION\s+STATUS\s+USER\s+TRIGGERED\s+DURATION\s+WORKFLOW$/);
    expect(row).toMatch(
      new RegExp(`^rollback\\s+failed\\s+Ada\\s+2025-01-31 12:01:00\\s+3\\.0 s\\s+rollback-${app.id}-1$`),
    );

    const bad = await cli(['runs', 'list', app.id, '--status', 'exploded']);
    expect(bad.code).toBe(2);
  });
});
