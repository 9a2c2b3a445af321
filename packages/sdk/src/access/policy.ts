// Which role a "Developer+ (env-type specific)" action needs, per environment type. The seed
// leaves the mapping open; F30's reading is the default and each project may store its own.
import { z } from 'zod';
import { ENVIRONMENT_TYPES, type EnvironmentType } from './environment.js';
import { maxRole, type Role, roleSchema } from './roles.js';

export interface AccessPolicy {
  developerPlusByEnvironment: Record<EnvironmentType, Role>;
}

export const DEFAULT_ACCESS_POLICY: Readonly<AccessPolicy> = Object.freeze({
  developerPlusByEnvironment: Object.freeze({
    development: 'developer',
    staging: 'developer_plus',
    production: 'maintainer',
  }),
});

export const accessPolicySchema = z.object({
  developerPlusByEnvironment: z.object({
    development: roleSchema,
    staging: roleSchema,
    production: roleSchema,
  }),
});

/** A full policy from the default plus a project's overrides (e.g. `{ production: 'admin' }`). */
export function accessPolicy(overrides: Partial<Record<EnvironmentType, Role>> = {}): AccessPolicy {
  return accessPolicySchema.parse({
    developerPlusByEnvironment: { ...DEFAULT_ACCESS_POLICY.developerPlusByEnvironment, ...overrides },
  });
}

/**
 * The role a "Developer+ (env-type specific)" action needs. Without an environment type the
 * strictest role of the policy applies: an unknown environment must never loosen access.
 */
export function roleForEnvironment(policy: AccessPolicy, environmentType: EnvironmentType | undefined): Role {
  const byType = policy.developerPlusByEnvironment;
  if (environmentType !== undefined) return byType[environmentType];
  return ENVIRONMENT_TYPES.map((type) => byType[type]).reduce(maxRole);
}
