// The app record's state badge (F1) and engine type. Actions list the states they are offered in.
import { z } from 'zod';

export const APP_STATES = [
  'draft',
  'deploying',
  'deployed',
  'error',
  'canceled',
  'deleting',
  'deleted',
  'disabled',
] as const;
export type AppState = (typeof APP_STATES)[number];

export const appStateSchema = z.enum(APP_STATES);

export function isAppState(value: unknown): value is AppState {
  return typeof value === 'string' && (APP_STATES as readonly string[]).includes(value);
}

/** Engine types. Docker is the only one today; Update Config still checks it (the seed's "Docker method"). */
export const ENGINES = ['docker'] as const;
export type Engine = (typeof ENGINES)[number];

export const engineSchema = z.enum(ENGINES);
