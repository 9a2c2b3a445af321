import type { DockerCheck, ServerCheckActivities, SshCheck } from '@cloudwady/activities';
import { proxyActivities } from '@temporalio/workflow';

const { checkSsh, checkDocker } = proxyActivities<ServerCheckActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

export interface CheckServerResult {
  serverId: string;
  ssh: SshCheck;
  docker: DockerCheck;
}

/** Check Server: the SSH login works and the Docker Engine answers through it. */
export async function checkServer(input: { serverId: string }): Promise<CheckServerResult> {
  const ssh = await checkSsh(input.serverId);
  const docker = await checkDocker(input.serverId);
  return { serverId: input.serverId, ssh, docker };
}
