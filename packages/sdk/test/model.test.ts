// Errors, ids and the app state machine.

import {
  APP_STATE_TRANSITIONS,
  APP_STATES,
  CloudWadyError,
  ConflictError,
  canTransition,
  ForbiddenError,
  NotAvailableError,
  NotFoundError,
  newId,
  OperationFailedError,
  ValidationError,
  WrongStateError,
} from '@cloudwady/sdk';
import { describe, expect, it } from 'vitest';

describe('errors', () => {
  it('form one hierarchy with stable codes and JSON', () => {
    const errors = [
      [new ValidationError('bad', [{ code: 'custom', path: ['a'], message: 'm' }]), 'validation_failed'],
      [new NotFoundError('app', 'app_x'), 'not_found'],
      [new ForbiddenError('no', null), 'forbidden'],
      [new ConflictError('dup'), 'conflict'],
      [new WrongStateError('state', { state: 'draft' }), 'wrong_state'],
      [new OperationFailedError('failed'), 'operation_failed'],
      [new NotAvailableError('later'), 'not_available'],
    ] as const;
    for (const [error, code] of errors) {
      expect(error).toBeInstanceOf(CloudWadyError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(JSON.parse(JSON.stringify(error))).toEqual({
        name: error.constructor.name,
        code,
        message: error.message,
        details: error.details,
      });
    }
    expect(new WrongStateError('s', { state: 'x' })).toBeInstanceOf(ConflictError);
    expect(new NotFoundError('app', 'app_x').message).toMatch(/No app with id "app_x"/);
  });
});

describe('ids', () => {
  it('are prefixed, random and well-formed', () => {
    const ids = Array.from({ length: 1000 }, () => newId('app'));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^app_[0-9a-hjkmnp-tv-z]{16}$/);
    expect(newId('project')).toMatch(/^prj_/);
  });
});

describe('app state machine', () => {
  it('covers every state and goes through deploying to be deployed', () => {
    expect(Object.keys(APP_STATE_TRANSITIONS).sort()).toEqual([...APP_STATES].sort());
    for (const from of APP_STATES) {
      for (const to of APP_STATE_TRANSITIONS[from]) expect(APP_STATES).toContain(to);
      expect(canTransition(from, from)).toBe(false);
    }
    expect(canTransition('draft', 'deployed')).toBe(false);
    expect(canTransition('draft', 'deploying')).toBe(true);
    expect(canTransition('deploying', 'deployed')).toBe(true);
    expect(canTransition('deleted', 'deployed')).toBe(false);
    expect(canTransition('deleting', 'deleted')).toBe(true);
  });
});
