import {
  CancellationScope,
  isCancellation,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { records } from './activities.js';
import { withAppTurn } from './app-queue.js';

export interface Actor {
  userId: string;
  name?: string;
}

/** What every operation workflow receives from the SDK: ids only, never secrets. */
export interface OperationInput {
  appId: string;
  actor: Actor;
}

/** Search attribute flipped from Pending to Executing when the app's turn comes (F26 badges). */
export const RUN_PHASE_ATTRIBUTE = 'RunPhase';

const RELEASE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A release id in the store's format; workflow randomness is replay-safe. */
export function newReleaseId(): string {
  let body = '';
  for (let i = 0; i < 16; i++) body += RELEASE_ALPHABET[Math.floor(Math.random() * 32)];
  return `rel_${body}`;
}

/**
 * The frame of every operation: wait for the app's turn (Pending), run (Executing), and when the
 * run fails or is canceled, mark the app error / canceled with the reason before failing.
 */
export async function runOperation<T>(input: OperationInput, body: () => Promise<T>): Promise<T> {
  return withAppTurn(
    input.appId,
    async () => {
      try {
        return await body();
      } catch (error) {
        const canceled = isCancellation(error);
        const note = canceled
          ? `${workflowInfo().workflowType} was canceled`
          : `${workflowInfo().workflowType} failed: ${(error as Error).message}`;
        await CancellationScope.nonCancellable(() =>
          records.setAppState({ appId: input.appId, state: canceled ? 'canceled' : 'error', note }),
        );
        throw error;
      }
    },
    () => upsertSearchAttributes({ [RUN_PHASE_ATTRIBUTE]: ['Executing'] }),
  );
}
