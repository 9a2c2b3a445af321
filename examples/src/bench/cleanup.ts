// Removing what a bench run made, by hand: its apps' containers, nginx sites and images, and any
// of their workflows still running. Done by hand rather than through Delete Instance + Destroy so
// cleanup stays quick and certain even after a section failed or hit its deadline.

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nginxConfig } from '@cloudwady/activities';
import type { Stack } from '@cloudwady/testing';
import type { Client } from '@temporalio/client';
import { run } from './bare.js';

/** Deepest message of an error's cause chain (Temporal wraps the activity's own failure twice). */
export function rootMessage(error: unknown): string {
  let e = error as (Error & { cause?: unknown }) | undefined;
  while (e?.cause instanceof Error) e = e.cause as Error & { cause?: unknown };
  return e?.message ?? String(error);
}

/** Terminates the apps' running operations and queues (a stopped worker would leave them pending). */
export async function terminateRuns(client: Client, appIds: readonly string[]): Promise<number> {
  let terminated = 0;
  for (const appId of appIds) {
    const running = client.workflow.list({ query: `AppId = '${appId}' AND ExecutionStatus = 'Running'` });
    const ids = [`app-queue-${appId}`];
    for await (const execution of running) ids.push(execution.workflowId);
    for (const id of ids) {
      try {
        await client.workflow.getHandle(id).terminate('benchmark cleanup');
        terminated++;
      } catch {
        // Not running (or never started): nothing to stop.
      }
    }
  }
  return terminated;
}

/** Containers, site files (then one nginx reload) and images of the apps. */
export async function removeAppsByHand(stack: Stack, appIds: readonly string[]): Promise<void> {
  for (const appId of appIds) {
    const containers = (await run(['docker', 'ps', '-aq', '--filter', `label=org.cloudwady.app=${appId}`]))
      .split('\n')
      .filter(Boolean);
    if (containers.length > 0) await run(['docker', 'rm', '--force', ...containers]);
    await rm(join(stack.nginx.sitesDir, nginxConfig.siteFileName(appId)), { force: true });
    const images = (await run(['docker', 'images', '-q', `cloudwady/${appId}`])).split('\n').filter(Boolean);
    if (images.length > 0) await run(['docker', 'rmi', '--force', ...new Set(images)]).catch(() => '');
  }
  await run(stack.nginx.reloadArgv);
}
