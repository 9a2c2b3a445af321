// An OperationGateway that records what it is asked to start: the SDK's side of operations is
// tested through the same interface the worker implements.
import type { OperationGateway, OperationRequest, RunRef } from '../../src/index.js';

export class RecordingGateway implements OperationGateway {
  readonly requests: OperationRequest[] = [];
  /** When set, `start` fails with this error (an engine that is down). */
  failWith: Error | null = null;

  async start(request: OperationRequest): Promise<RunRef> {
    if (this.failWith) throw this.failWith;
    this.requests.push(structuredClone(request));
    const n = this.requests.length;
    return {
      operation: request.operation,
      appId: request.appId,
      workflowId: `${request.appId}-${n}`,
      runId: `run-${n}`,
    };
  }

  last(): OperationRequest | undefined {
    return this.requests.at(-1);
  }
}
