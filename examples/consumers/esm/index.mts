// An ESM consumer of the published packages: type-checked in CI against the built dist/.
import { CloudWady, CloudWadyError } from '@cloudwady/sdk';
import type { Stack } from '@cloudwady/testing';
import { startStack } from '@cloudwady/testing';

export async function main(): Promise<void> {
  const client = await CloudWady.connect({ store: { sqlite: ':memory:' } });
  const stack: Stack = await startStack({ services: ['postgres'] });
  console.log(client instanceof Object, CloudWadyError.name, stack.postgres.port);
}
