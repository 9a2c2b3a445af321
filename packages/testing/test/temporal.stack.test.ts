import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUDWADY_SEARCH_ATTRIBUTES, type Stack, startStack } from '../src/index.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

describe('local stack: Temporal', () => {
  let stack: Stack;
  let connection: Connection;

  beforeAll(async () => {
    stack = await startStack({ services: ['temporal'] });
    connection = await Connection.connect({ address: stack.temporal.address });
  });

  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
  });

  it('answers getSystemInfo on the advertised address', async () => {
    expect(stack.temporal.address).toBe(`127.0.0.1:${stack.ports.temporal}`);
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/^\d+\.\d+/);
  });

  it("registers CloudWady's search attributes as Keyword", async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace: stack.temporal.namespace,
    });
    for (const name of Object.keys(CLOUDWADY_SEARCH_ATTRIBUTES)) {
      expect(customAttributes?.[name], name).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    expect(stack.temporal.searchAttributes).toEqual(CLOUDWADY_SEARCH_ATTRIBUTES);
  });

  it('serves the Temporal Web UI over HTTP', async () => {
    const response = await fetch(stack.temporal.uiUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<html/i);
  });
});
