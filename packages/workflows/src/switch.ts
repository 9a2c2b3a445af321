import type { ReleaseFacts, RunningRelease } from '@cloudwady/activities';
import { CancellationScope } from '@temporalio/workflow';
import { host, long } from './activities.js';

/**
 * The zero-downtime switch every operation that changes what runs shares (deploy, update,
 * updateConfig, rollback): start the release beside the serving one, wait for /web/health, point
 * the proxy at it, then stop the previous one. Until the proxy switches, the previous release
 * keeps serving; a release that never gets healthy is removed and the previous one stays.
 */
export async function switchTo(
  appId: string,
  release: { releaseId: string; image: string },
  previous: ReleaseFacts | null,
): Promise<RunningRelease> {
  const running = await host.startRelease({ appId, releaseId: release.releaseId, image: release.image });
  try {
    await long.waitHealthy({ appId, releaseId: release.releaseId, port: running.port });
    await host.route({ appId, to: running });
  } catch (error) {
    await CancellationScope.nonCancellable(() =>
      host.stopRelease({ appId, releaseId: release.releaseId, remove: true }),
    );
    throw error;
  }
  if (previous && previous.releaseId !== release.releaseId) {
    await host.stopRelease({ appId, releaseId: previous.releaseId, remove: true });
  }
  return running;
}

/** Routes the app back to the release that served before (after a failed update). */
export async function routeBack(appId: string, previous: ReleaseFacts): Promise<void> {
  await CancellationScope.nonCancellable(async () => {
    const running = await host.startRelease({ appId, releaseId: previous.releaseId, image: previous.image });
    await host.route({ appId, to: running });
  });
}
