// The roles ladder of F30, lowest to highest. A member holds one role per project; every rule
// compares ranks, so "X or higher" is the only shape of requirement there is.
import { z } from 'zod';

export const ROLES = ['viewer', 'developer', 'developer_plus', 'maintainer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const roleSchema = z.enum(ROLES);

/** The seed's names for the roles, for messages and UIs. */
export const ROLE_DISPLAY_NAMES: Readonly<Record<Role, string>> = {
  viewer: 'Viewer',
  developer: 'Developer',
  developer_plus: 'Developer Plus',
  maintainer: 'Maintainer',
  admin: 'Admin',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** 0 for Viewer up to 4 for Admin. */
export function roleRank(role: Role): number {
  const rank = ROLES.indexOf(role);
  // Reached only from untyped callers; failing loudly beats ranking an unknown role as -1.
  if (rank < 0) throw new TypeError(`Unknown role "${String(role)}"; expected one of ${ROLES.join(', ')}`);
  return rank;
}

/** True when `role` is `min` or higher on the ladder. */
export function atLeast(role: Role, min: Role): boolean {
  return roleRank(role) >= roleRank(min);
}

export function roleDisplayName(role: Role): string {
  return ROLE_DISPLAY_NAMES[role];
}

/** The higher of two roles (used to find the strictest rule of a policy). */
export function maxRole(a: Role, b: Role): Role {
  return roleRank(a) >= roleRank(b) ? a : b;
}
