// Helpers for "any subset" inputs whose nested objects merge field by field. A patch schema is
// built from the same field schemas as the full one, without defaults (zod applies defaults
// inside optional fields, which would silently reset fields the caller did not mention).
import { z } from 'zod';

export function optionalFields<T extends Record<string, z.ZodType>>(fields: T) {
  return z.strictObject(
    Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, schema.optional()])) as {
      [K in keyof T]: z.ZodOptional<T[K]>;
    },
  );
}

/** The entries of `value` that are not undefined (null stays: it clears a field). */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
