// A CommonJS consumer of the published packages: type-checked in CI against the built dist/.
import sdk = require('@cloudwady/sdk');
import testing = require('@cloudwady/testing');

export async function main(): Promise<void> {
  const client = await sdk.CloudWady.connect({ store: { sqlite: ':memory:' } });
  const stack: testing.Stack = await testing.startStack({ services: ['postgres'] });
  console.log(client instanceof Object, sdk.CloudWadyError.name, stack.postgres.port);
}
