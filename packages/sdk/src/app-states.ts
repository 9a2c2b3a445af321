// The app state machine (F1). The engine moves apps between states while operations run; the
// SDK refuses any other move, so a state badge always tells a true story.
import type { AppState } from './access/index.js';

export const APP_STATE_TRANSITIONS: Readonly<Record<AppState, readonly AppState[]>> = {
  // Deploy starts; Destroy of a draft removes its records through `deleting`.
  draft: ['deploying', 'deleting', 'disabled'],
  deploying: ['deployed', 'error', 'canceled'],
  // Update / rollback / redeploy go back through deploying; Delete Instance through deleting.
  deployed: ['deploying', 'deleting', 'error', 'disabled'],
  error: ['deploying', 'deleting', 'deployed', 'disabled'],
  canceled: ['deploying', 'deleting', 'deployed', 'disabled'],
  deleting: ['deleted', 'error'],
  deleted: ['deploying', 'deleting', 'disabled'],
  disabled: ['deploying', 'deleting', 'deleted'],
};

export function canTransition(from: AppState, to: AppState): boolean {
  return APP_STATE_TRANSITIONS[from].includes(to);
}
