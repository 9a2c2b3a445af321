// One error hierarchy for every SDK call. Each error carries a stable `code`, a message that
// says what to do next, and `details` that are safe to log (never a secret, never raw input).
import type { Decision } from './access/index.js';

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'wrong_state'
  | 'operation_failed'
  | 'not_available';

/** A zod issue as reported in `ValidationError.details.issues` (zod 4 never copies the input). */
export interface ValidationIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  [key: string]: unknown;
}

export class CloudWadyError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  toJSON(): { name: string; code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export class ValidationError extends CloudWadyError {
  declare readonly details: { issues: ValidationIssue[] } & Record<string, unknown>;

  constructor(message: string, issues: ValidationIssue[], options?: ErrorOptions) {
    super('validation_failed', message, { issues }, options);
  }

  /** A rule broken by one field (e.g. production's locked Auto-Delete). */
  static forField(path: PropertyKey[], message: string): ValidationError {
    return new ValidationError(message, [{ code: 'custom', path, message }]);
  }
}

export class NotFoundError extends CloudWadyError {
  constructor(resource: string, id: string) {
    super('not_found', `No ${resource} with id "${id}": check the id, or list them to find it.`, {
      resource,
      id,
    });
  }
}

export class ForbiddenError extends CloudWadyError {
  readonly decision: Decision | null;

  constructor(message: string, decision: Decision | null) {
    super('forbidden', message, { decision });
    this.decision = decision;
  }
}

export class ConflictError extends CloudWadyError {
  constructor(
    message: string,
    details: Record<string, unknown> = {},
    code: 'conflict' | 'wrong_state' = 'conflict',
  ) {
    super(code, message, details);
  }
}

/** The record exists but its state does not allow the call (e.g. Restart while not deployed). */
export class WrongStateError extends ConflictError {
  constructor(
    message: string,
    details: { state: string; allowedStates?: readonly string[] } & Record<string, unknown>,
  ) {
    super(message, details, 'wrong_state');
  }
}

export class OperationFailedError extends CloudWadyError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('operation_failed', message, details, options);
  }
}

export class NotAvailableError extends CloudWadyError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('not_available', message, details);
  }
}

export function isCloudWadyError(error: unknown): error is CloudWadyError {
  return error instanceof CloudWadyError;
}
