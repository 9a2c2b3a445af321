// runs.list and runs.get on an app with many runs, vs the bare Temporal calls they are made of
// (the same visibility query and page size; describe + full history for one run).
//
// How the runs are made: real runs, started through the SDK, on an app that has no URL. One
// Deploy, then Enable Maintenance runs: each is a real workflow with the real search attributes,
// memo, summary and app queue turn, whose only activity finds no URL to route (so it touches no
// server and no nginx). That is the cheapest honest run the worker can execute (~tens of ms).
import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueName } from '../support/local.js';
import { inBatches } from './concurrent.js';
import type { BenchContext } from './context.js';
import type { ReportLine } from './report.js';
import { formatMs, formatSummary, ratio, since, summarize, timed } from './stats.js';

const PAGE_SIZE = 50;

/** Waits until visibility shows `expected` runs of the app and none still running. */
async function settled(ctx: BenchContext, appId: string, expected: number, timeoutMs: number) {
  const workflows = ctx.engine.gateway.client.workflow;
  const started = Date.now();
  for (;;) {
    const [all, running] = await Promise.all([
      workflows.count(`AppId = '${appId}'`),
      workflows.count(`AppId = '${appId}' AND ExecutionStatus = 'Running'`),
    ]);
    if (all.count >= expected && running.count === 0) return all.count;
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${all.count} of ${expected} runs visible, ${running.count} running after ${timeoutMs} ms`,
      );
    }
    await sleep(1000);
  }
}

/** Times `sdk` and `bare` `n` times each, interleaved. */
async function compare(n: number, sdk: () => Promise<unknown>, bare: () => Promise<unknown>) {
  const sdkMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < n; i++) {
    sdkMs.push((await timed(sdk)).ms);
    bareMs.push((await timed(bare)).ms);
  }
  return { sdk: summarize(sdkMs), bare: summarize(bareMs), sdkMs, bareMs };
}

export async function measureHistory(ctx: BenchContext): Promise<ReportLine[]> {
  const total = ctx.options.runs;
  // A project, environment and server from the usual helper; the history app itself has no URL.
  const base = await ctx.newApp();
  const { ada } = base;
  const app = await ada.apps.create({
    environmentId: base.app.environmentId,
    serverId: base.app.serverId,
    name: uniqueName('history'),
    odooVersion: '17.0',
    branch: { name: base.repository.branch },
    config: { workers: 0 },
  });
  ctx.apps.push({ ...base, app, domain: '' });

  ctx.log(`history: deploying ${app.name}, then ${total - 1} Enable Maintenance runs ...`);
  const deploy = await ada.apps.deploy(app.id);
  await ctx.engine.gateway.client.workflow.getHandle(deploy.workflowId).result();
  const started = performance.now();
  await inBatches(total - 1, ctx.options.startConcurrency, () => ada.apps.enableMaintenance(app.id));
  const startedAllMs = since(started);
  const visible = await settled(ctx, app.id, total, 30 * 60_000);
  const createMs = since(started);
  const failed = (
    await ctx.engine.gateway.client.workflow.count(`AppId = '${app.id}' AND ExecutionStatus != 'Completed'`)
  ).count;
  ctx.log(`history: ${visible} runs in ${createMs} ms (${failed} not completed)`);

  const namespace = ctx.engine.gateway.client.options.namespace;
  const service = ctx.engine.gateway.client.workflowService;
  const bareList = (query: string, token?: Uint8Array | null) =>
    service.listWorkflowExecutions({ namespace, query, pageSize: PAGE_SIZE, nextPageToken: token ?? null });

  const n = ctx.options.samples;
  const firstPage = await compare(
    n,
    () => ada.runs.list({ appId: app.id, pageSize: PAGE_SIZE }),
    () => bareList(`AppId = '${app.id}'`),
  );
  const filtered = await compare(
    n,
    () => ada.runs.list({ appId: app.id, operation: ['deploy'], pageSize: PAGE_SIZE }),
    () => bareList(`AppId = '${app.id}' AND Operation = 'deploy'`),
  );
  let listed = 0;
  const walks = Math.min(n, 5);
  const allPages = await compare(
    walks,
    async () => {
      let token: string | null | undefined;
      let count = 0;
      do {
        const page = await ada.runs.list({
          appId: app.id,
          pageSize: PAGE_SIZE,
          ...(token ? { pageToken: token } : {}),
        });
        count += page.runs.length;
        token = page.nextPageToken;
      } while (token);
      listed = count;
    },
    async () => {
      let token: Uint8Array | null | undefined;
      do {
        const page = await bareList(`AppId = '${app.id}'`, token);
        token = page.nextPageToken?.length ? page.nextPageToken : null;
      } while (token);
    },
  );
  let steps = 0;
  const get = await compare(
    n,
    async () => {
      steps = (await ada.runs.get({ appId: app.id, workflowId: deploy.workflowId }))?.steps.length ?? 0;
    },
    async () => {
      const handle = ctx.engine.gateway.client.workflow.getHandle(deploy.workflowId);
      await handle.describe();
      await handle.fetchHistory();
    },
  );
  ctx.log(
    `history: list ${formatMs(firstPage.sdk.p50)}, all pages ${formatMs(allPages.sdk.p50)} (${listed} runs), get ${formatMs(get.sdk.p50)}`,
  );

  const pages = Math.ceil(total / PAGE_SIZE);
  const line = (
    id: string,
    title: string,
    m: typeof firstPage,
    method: string,
    data: Record<string, unknown> = {},
  ): ReportLine => ({
    id,
    title,
    engine: formatSummary(m.sdk),
    bare: formatSummary(m.bare),
    ratio: ratio(m.sdk.p50, m.bare.p50),
    method,
    data: { sdkMs: m.sdkMs, bareMs: m.bareMs, sdk: m.sdk, bare: m.bare, ...data },
  });
  return [
    {
      id: 'history.create',
      title: `${total} runs on one app (setup)`,
      engine: `${formatMs(createMs)} (${formatMs(createMs / total)} per run)`,
      bare: '',
      ratio: null,
      method: `1 Deploy, then ${total - 1} Enable Maintenance runs started through the SDK (${ctx.options.startConcurrency} calls at a time; all started in ${formatMs(startedAllMs)}) on an app with no URL, so each run's only activity has nothing to route; they run one at a time in the app's queue. Timed until visibility shows them all closed (${visible} visible, ${failed} not completed).`,
      data: { runs: total, visible, notCompleted: failed, createMs, startedAllMs },
    },
    line(
      'history.list',
      `runs.list, first page of ${PAGE_SIZE}`,
      firstPage,
      `ada.runs.list({ appId, pageSize: ${PAGE_SIZE} }) (access check, visibility query, search attributes and encrypted memo decoded per run) vs WorkflowService.listWorkflowExecutions with the same query and page size; interleaved, ${n} each; ratio of p50s.`,
    ),
    line(
      'history.listFiltered',
      'runs.list, filtered (operation deploy)',
      filtered,
      `ada.runs.list({ appId, operation: ['deploy'] }) vs the same raw query (AppId and Operation); ${n} each.`,
    ),
    line(
      'history.listAll',
      `runs.list, all ${total} runs (${pages} page${pages === 1 ? '' : 's'})`,
      allPages,
      `every page of ${PAGE_SIZE} through nextPageToken (${listed} runs listed) vs the raw pages; ${walks} walks each.`,
      { listed },
    ),
    line(
      'history.get',
      'runs.get (the deploy run, with steps)',
      get,
      `ada.runs.get({ appId, workflowId }) of the Deploy run (${steps} steps: describe, full history, payloads decrypted, steps and log built) vs describe + fetchHistory through the Temporal client; ${n} each.`,
      { steps },
    ),
  ];
}
