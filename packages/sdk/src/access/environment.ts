// Environment types (F1 badge, F18 defaults). The type, not the environment's name, decides
// which role a "Developer+ (env-type specific)" action needs.
import { z } from 'zod';

export const ENVIRONMENT_TYPES = ['development', 'staging', 'production'] as const;
export type EnvironmentType = (typeof ENVIRONMENT_TYPES)[number];

export const environmentTypeSchema = z.enum(ENVIRONMENT_TYPES);

export function isEnvironmentType(value: unknown): value is EnvironmentType {
  return typeof value === 'string' && (ENVIRONMENT_TYPES as readonly string[]).includes(value);
}
