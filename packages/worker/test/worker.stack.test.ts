import { type HostServer, serverCheckActivities } from '@cloudwady/activities';
import { type Stack, startStack } from '@cloudwady/testing';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../src/index.js';

// A workflow with two activities runs through a real Worker on the real Temporal dev server,
// against the real SSH host and Docker Engine, and its history is read back from Temporal.
describe('worker on the local stack', () => {
  let stack: Stack;
  let worker: RunningWorker;
  let client: Client;
  const taskQueue = `smoke-${Date.now()}`;

  beforeAll(async () => {
    stack = await startStack({ services: ['temporal', 'docker', 'ssh'] });
    const servers: Record<string, HostServer> = { 'server-1': stack.hosts[0] as HostServer };
    const resolveServer = async (id: string) => {
      const server = servers[id];
      if (!server) throw new Error(`unknown server ${id}`);
      return server;
    };
    worker = await startWorker({
      address: stack.temporal.address,
      taskQueue,
      activities: serverCheckActivities(resolveServer),
    });
    client = new Client({ connection: await Connection.connect({ address: stack.temporal.address }) });
  });

  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
  });

  it('runs checkServer and its history shows both activities', async () => {
    const workflowId = `check-server-${Date.now()}`;
    const handle = await client.workflow.start('checkServer', {
      taskQueue,
      workflowId,
      args: [{ serverId: 'server-1' }],
    });
    const result = await handle.result();
    expect(result.ssh.user).toBe(stack.hosts[0]?.username);
    expect(result.ssh.kernel).toMatch(/^Linux /);
    expect(result.docker.version).toMatch(/^\d+\.\d+/);

    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? [])
      .map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name)
      .filter(Boolean);
    expect(scheduled).toEqual(['checkSsh', 'checkDocker']);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
  });
});
