// One workflow per operation, named with the seed's verbs. Each runs in the app's turn
// (runOperation) and is made of activities; the SDK starts them with ids only.
import type { ReleaseFacts } from '@cloudwady/activities';
import { ApplicationFailure } from '@temporalio/workflow';
import { host, long, records } from './activities.js';
import { newReleaseId, type OperationInput, runOperation } from './operation.js';
import { routeBack, switchTo } from './switch.js';

export interface ReleaseResult {
  releaseId: string;
  image: string;
  commitSha: string;
  /** false when an image with the same fingerprint was reused instead of built. */
  built: boolean;
}

/** The end of every operation that made a new release serve: record it as current, app deployed. */
async function recordServing(input: OperationInput, facts: ReleaseFacts, note: string): Promise<void> {
  const { appId } = input;
  await records.recordRelease({
    appId,
    releaseId: facts.releaseId,
    facts,
    createdBy: input.actor.userId,
    current: true,
  });
  await records.setAppState({ appId, state: 'deployed', note });
}

const needsDeployment = (appId: string) =>
  ApplicationFailure.nonRetryable(`App ${appId} has no running release: deploy it first.`, 'WrongState');

/** Deploy (F3): build, configure, create the database, start, health-check, route. */
export async function deploy(input: OperationInput): Promise<ReleaseResult> {
  return runOperation(input, async () => {
    const { appId } = input;
    const app = await records.loadApp({ appId });
    await records.setAppState({ appId, state: 'deploying' });
    // Staged config applies first: its system packages are part of the build.
    const releaseId = newReleaseId();
    const { configHash } = await host.writeReleaseConfig({ appId, releaseId, applyStaged: true });
    const source = await long.fetchSource({ appId });
    const image = await long.buildImage({ appId, commitSha: source.commitSha });
    await long.initDatabase({ appId, releaseId, image: image.image, commitSha: source.commitSha });
    await switchTo(appId, { releaseId, image: image.image }, app.current);
    const facts = {
      releaseId,
      image: image.image,
      fingerprint: image.fingerprint,
      commitSha: source.commitSha,
      configHash,
    };
    await recordServing(input, facts, `Deployed ${source.branch}@${source.commitSha.slice(0, 12)}`);
    return { releaseId, image: image.image, commitSha: source.commitSha, built: image.built };
  });
}

/**
 * Update (F4): the branch's latest commit; rebuild only when the fingerprint changed; changed
 * modules are updated (-u) behind the maintenance page; any failure returns to the previous release.
 */
export async function update(input: OperationInput): Promise<ReleaseResult & { updatedModules: string[] }> {
  return runOperation(input, async () => {
    const { appId } = input;
    const app = await records.loadApp({ appId });
    const previous = app.current;
    if (!previous) throw needsDeployment(appId);
    await records.setAppState({ appId, state: 'deploying' });
    const source = await long.fetchSource({ appId });
    const image = await long.buildImage({ appId, commitSha: source.commitSha });
    const modules = await records.changedModules({ appId, from: previous.commitSha, to: source.commitSha });
    const unchanged = image.fingerprint === previous.fingerprint && modules.length === 0;
    if (unchanged) {
      await records.setAppState({
        appId,
        state: 'deployed',
        note: `Up to date at ${source.commitSha.slice(0, 12)}`,
      });
      return {
        releaseId: previous.releaseId,
        image: image.image,
        commitSha: source.commitSha,
        built: false,
        updatedModules: [],
      };
    }
    const releaseId = newReleaseId();
    const { configHash } = await host.writeReleaseConfig({ appId, releaseId, applyStaged: false });
    try {
      if (modules.length > 0) {
        await host.route({ appId, to: 'maintenance' });
        await long.updateModules({ appId, releaseId, image: image.image, modules });
      }
      await switchTo(appId, { releaseId, image: image.image }, previous);
    } catch (error) {
      await routeBack(appId, previous);
      throw error;
    }
    const facts = {
      releaseId,
      image: image.image,
      fingerprint: image.fingerprint,
      commitSha: source.commitSha,
      configHash,
    };
    await recordServing(input, facts, `Updated to ${source.commitSha.slice(0, 12)}`);
    return {
      releaseId,
      image: image.image,
      commitSha: source.commitSha,
      built: image.built,
      updatedModules: modules,
    };
  });
}

/** Restart Service (F9): the same container restarts, no rebuild. */
export async function restart(input: OperationInput): Promise<{ releaseId: string }> {
  return runOperation(input, async () => {
    const { appId } = input;
    const { current } = await records.loadApp({ appId });
    if (!current) throw needsDeployment(appId);
    const running = await host.restartRelease({ appId, releaseId: current.releaseId });
    await long.waitHealthy({ appId, releaseId: current.releaseId, port: running.port });
    await records.setAppState({ appId, state: 'deployed' });
    return { releaseId: current.releaseId };
  });
}

/** Update Config (F10): apply the staged config as a new release of the same image. */
export async function updateConfig(input: OperationInput): Promise<ReleaseResult> {
  return runOperation(input, async () => {
    const { appId } = input;
    const { current } = await records.loadApp({ appId });
    if (!current) throw needsDeployment(appId);
    const releaseId = newReleaseId();
    const { configHash } = await host.writeReleaseConfig({ appId, releaseId, applyStaged: true });
    await switchTo(appId, { releaseId, image: current.image }, current);
    const facts: ReleaseFacts = { ...current, releaseId, configHash };
    await recordServing(input, facts, 'Configuration updated');
    return { releaseId, image: current.image, commitSha: current.commitSha, built: false };
  });
}

/** Enable Maintenance (F11): every URL of the app answers 503 with the maintenance page. */
export async function enableMaintenance(input: OperationInput): Promise<void> {
  return runOperation(input, () => host.route({ appId: input.appId, to: 'maintenance' }));
}

/** Disable Maintenance (F11): the URLs go back to the running release. */
export async function disableMaintenance(input: OperationInput): Promise<void> {
  return runOperation(input, async () => {
    const { current } = await records.loadApp({ appId: input.appId });
    if (!current) throw needsDeployment(input.appId);
    await routeBack(input.appId, current);
  });
}

/** Rollback (F14): run an earlier release again: same image, same config, no rebuild. */
export async function rollback(
  input: OperationInput & { releaseId: string },
): Promise<{ releaseId: string }> {
  return runOperation(input, async () => {
    const { appId, releaseId } = input;
    const app = await records.loadApp({ appId });
    const target = await records.loadRelease({ appId, releaseId });
    await records.setAppState({ appId, state: 'deploying' });
    await switchTo(appId, { releaseId, image: target.image }, app.current);
    await records.makeCurrent({ appId, releaseId });
    await records.setAppState({ appId, state: 'deployed', note: `Rolled back to ${releaseId}` });
    return { releaseId };
  });
}

/** Delete Instance (F13): containers and proxy config go; data, images and records stay. */
export async function deleteInstance(input: OperationInput): Promise<void> {
  return runOperation(input, async () => {
    await records.setAppState({ appId: input.appId, state: 'deleting' });
    await long.removeInstance({ appId: input.appId, destroy: false });
    await records.setAppState({ appId: input.appId, state: 'deleted', note: 'Instance deleted' });
  });
}

/** Destroy (F13): everything of the app goes: containers, proxy, images, database, files, records. */
export async function destroy(input: OperationInput): Promise<void> {
  return runOperation(input, async () => {
    await records.setAppState({ appId: input.appId, state: 'deleting' });
    await long.removeInstance({ appId: input.appId, destroy: true });
  });
}
