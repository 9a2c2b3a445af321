// F20 branch table: which Git branch of which repository (project registry) an app tracks.
import { z } from 'zod';
import { idSchema } from '../ids.js';
import { commitShaSchema, repositoryUrlSchema } from './common.js';

/**
 * `git check-ref-format --branch` rules, plus no leading "-" so a branch name is never read as
 * an option by git.
 */
export function isValidBranchName(name: string): boolean {
  if (name.length === 0 || name.length > 255) return false;
  if (name.startsWith('-') || name === '@' || name === 'HEAD') return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are invalid in refs
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return false;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return false;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false;
  return name.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}

export const branchNameSchema = z.string().trim().refine(isValidBranchName, {
  error: 'expected a Git branch name (as `git check-ref-format --branch` accepts, not starting with "-")',
});

export const addBranchInputSchema = z.strictObject({
  name: branchNameSchema,
  /** The project registry; defaults to the project's repository. */
  repository: repositoryUrlSchema.optional(),
  commitSha: commitShaSchema.optional(),
  /** Make it the main branch (the first branch of an app always is). */
  main: z.boolean().optional(),
});
export type AddBranchInput = z.input<typeof addBranchInputSchema>;

export const branchIdSchema = idSchema('branch');

export interface Branch {
  id: string;
  appId: string;
  repository: string;
  name: string;
  commitSha: string | null;
  isMain: boolean;
  createdAt: string;
  updatedAt: string;
}
