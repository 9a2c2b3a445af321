// Releases (F14): every successful build, with the fingerprint that names its image. Exactly
// one release of an app is current: the one running (or to run again on rollback).
import { z } from 'zod';
import { idSchema } from '../ids.js';
import { commitShaSchema, userIdSchema } from './common.js';

export const releaseIdSchema = idSchema('release');

export const rollbackInputSchema = z.strictObject({
  /** The earlier release to run again, without rebuilding. */
  releaseId: releaseIdSchema,
});
export type RollbackInput = z.input<typeof rollbackInputSchema>;

const hexDigest = z.string().regex(/^[0-9a-f]{12,128}$/, { error: 'expected a lower-case hex digest' });

/** A Docker image reference (name[:tag][@digest]) as the builder tags it. */
export const imageReferenceSchema = z
  .string()
  .max(512)
  .regex(/^[a-z0-9][a-z0-9._\-/:]*(@sha256:[0-9a-f]{64})?$/, { error: 'expected a Docker image reference' });

/** What the engine records after a successful build. */
export const recordReleaseInputSchema = z.strictObject({
  /** Chosen by the operation (so a retried step records the same release once). */
  id: releaseIdSchema.optional(),
  appId: idSchema('app'),
  fingerprint: hexDigest,
  image: imageReferenceSchema,
  commitSha: commitShaSchema,
  configHash: hexDigest,
  createdBy: userIdSchema,
});
export type RecordReleaseInput = z.input<typeof recordReleaseInputSchema>;

export interface Release {
  id: string;
  appId: string;
  /** The build fingerprint (commit, config, Odoo version, packages): same inputs, same fingerprint. */
  fingerprint: string;
  image: string;
  commitSha: string;
  configHash: string;
  current: boolean;
  createdBy: string;
  createdAt: string;
}
