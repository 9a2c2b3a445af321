// URLs (F22): an app's domains, exactly one of them primary, each with an SSL provider.
import { z } from 'zod';
import { idSchema } from '../ids.js';
import { domainSchema } from './common.js';

export const SSL_PROVIDERS = ['none', 'letsencrypt', 'custom'] as const;
export type SslProvider = (typeof SSL_PROVIDERS)[number];
export const sslProviderSchema = z.enum(SSL_PROVIDERS);

export const urlIdSchema = idSchema('url');

export const addUrlInputSchema = z.strictObject({
  /** Unique across the platform. */
  domain: domainSchema,
  sslProvider: sslProviderSchema.default('none'),
  /** Make it the primary URL (the first URL of an app always is). */
  primary: z.boolean().optional(),
});
export type AddUrlInput = z.input<typeof addUrlInputSchema>;

export const editUrlInputSchema = z.strictObject({
  sslProvider: sslProviderSchema,
});
export type EditUrlInput = z.input<typeof editUrlInputSchema>;

export interface AppUrl {
  id: string;
  appId: string;
  domain: string;
  isPrimary: boolean;
  sslProvider: SslProvider;
  createdAt: string;
  updatedAt: string;
}
