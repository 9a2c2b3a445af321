// The cloudwady command: parse argv, connect the SDK from environment variables (and Temporal
// only for commands that start or read operations), run one command, print, exit with a code
// a script can branch on.
import { CloudWady, type CloudWadyClient } from '../client.js';
import { TemporalGateway } from '../engine/temporal-gateway.js';
import { type ErrorCode, isCloudWadyError, NotAvailableError, ValidationError } from '../errors.js';
import type { OperationGateway } from '../operations.js';
import { resolveOptions } from '../options.js';
import { parseSecretKey } from '../secrets.js';
import { parseInvocation, wantsJson } from './args.js';
import { formatError, formatJson } from './format.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The operations engine for a command that needs it, and how to let it go. */
export interface ConnectedOperations {
  gateway: OperationGateway;
  close(): Promise<void>;
}

export interface CliDependencies {
  connectOperations(env: NodeJS.ProcessEnv): Promise<ConnectedOperations>;
}

/** 2: the input or the usage was wrong; 3: the user may not do that; 1: anything else. */
export function exitCodeFor(error: unknown): number {
  const code: ErrorCode | undefined = isCloudWadyError(error) ? error.code : undefined;
  if (code === 'validation_failed') return 2;
  if (code === 'forbidden') return 3;
  return 1;
}

const setting = (env: NodeJS.ProcessEnv, name: string) => {
  const value = env[name]?.trim();
  return value ? value : undefined;
};

function actorFrom(env: NodeJS.ProcessEnv): { userId: string } {
  const userId = setting(env, 'CLOUDWADY_USER');
  if (!userId) {
    throw ValidationError.forField(
      ['CLOUDWADY_USER'],
      'Set CLOUDWADY_USER to the user id the CLI acts for: every call is checked against that user’s role.',
    );
  }
  return { userId };
}

/** Temporal from CLOUDWADY_TEMPORAL_ADDRESS (+ NAMESPACE, TASK_QUEUE, PAYLOAD_KEY), as the worker reads them. */
export async function connectTemporal(env: NodeJS.ProcessEnv): Promise<ConnectedOperations> {
  const address = setting(env, 'CLOUDWADY_TEMPORAL_ADDRESS');
  if (!address) {
    throw ValidationError.forField(
      ['CLOUDWADY_TEMPORAL_ADDRESS'],
      'Set CLOUDWADY_TEMPORAL_ADDRESS to the Temporal frontend (host:port, e.g. 127.0.0.1:7233): this command starts or reads operations.',
    );
  }
  const keyText = setting(env, 'CLOUDWADY_PAYLOAD_KEY');
  const payloadKey = keyText ? parseSecretKey(keyText, ['CLOUDWADY_PAYLOAD_KEY']) : undefined;
  try {
    const gateway = await TemporalGateway.connect({
      address,
      namespace: setting(env, 'CLOUDWADY_NAMESPACE'),
      taskQueue: setting(env, 'CLOUDWADY_TASK_QUEUE'),
      payloadKey,
    });
    return { gateway, close: () => gateway.close() };
  } catch (error) {
    throw new NotAvailableError(
      `Cannot reach Temporal at ${address}: ${(error as Error).message}. Check CLOUDWADY_TEMPORAL_ADDRESS.`,
      { address },
    );
  }
}

const DEFAULTS: CliDependencies = { connectOperations: connectTemporal };

/** Runs one command line; returns the exit code (it never calls process.exit). */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  dependencies: CliDependencies = DEFAULTS,
): Promise<number> {
  let json = wantsJson(argv);
  let operations: ConnectedOperations | null = null;
  let client: CloudWadyClient | null = null;
  try {
    const invocation = parseInvocation(argv);
    if ('help' in invocation) {
      io.stdout(`${invocation.help}\n`);
      return 0;
    }
    json = invocation.json;
    const actor = actorFrom(io.env);
    operations = invocation.command.engine ? await dependencies.connectOperations(io.env) : null;
    // Store and key as CloudWady.connect reads CLOUDWADY_DATABASE_URL / CLOUDWADY_SECRET_KEY,
    // but from the env given to the CLI (tests and embedders pass their own).
    const { store, secretKey } = resolveOptions({}, io.env);
    client = await CloudWady.connect({
      store,
      secretKey: secretKey.toString('base64'),
      ...(operations ? { operations: operations.gateway } : {}),
    });
    const output = await invocation.command.run(
      { client: client.as(actor), progress: (line) => io.stderr(`${line}\n`) },
      invocation.input,
    );
    io.stdout(json ? formatJson(output.data) : `${output.text}\n`);
    return 0;
  } catch (error) {
    io.stderr(formatError(error, json));
    return exitCodeFor(error);
  } finally {
    await client?.close().catch(() => undefined);
    await operations?.close().catch(() => undefined);
  }
}
