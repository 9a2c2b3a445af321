#!/usr/bin/env node
// cloudwady-stack [up|status|down]: the local stack from a terminal (`npm run stack`).
import { parseArgs } from 'node:util';
import { ALL_SERVICES } from './settings.js';
import { startStack, stopStack } from './stack.js';
import { stackStatus } from './status.js';
import { formatTable, maskSecrets, summaryRows } from './summary.js';
import type { StackOptions, StackService } from './types.js';

const USAGE = `Usage: cloudwady-stack [up|status|down] [options]

  up       start what is not running yet and print every endpoint (default)
  status   show every endpoint and whether it answers (starts nothing)
  down     stop every daemon the stack started (pid files in <state dir>/run)

Options:
  --json               machine-readable output
  --show-secrets       print the PostgreSQL password and SSH private keys
  --second-host        also start the second SSH host (server-2)
  --services a,b       only these (${ALL_SERVICES.join(', ')})
  --state-dir DIR      default: env CLOUDWADY_STACK_DIR, else /var/lib/cloudwady/stack (root)
  -h, --help

Ports: env CLOUDWADY_PORT_<NAME>, e.g. CLOUDWADY_PORT_POSTGRES=25432.`;

function fail(message: string): never {
  process.stderr.write(`cloudwady-stack: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'show-secrets': { type: 'boolean', default: false },
      'second-host': { type: 'boolean', default: false },
      services: { type: 'string' },
      'state-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'up';
  if (positionals.length > 1 || !['up', 'status', 'down'].includes(command))
    fail(`unexpected ${positionals.join(' ')}\n${USAGE}`);
  const options: StackOptions = {
    stateDir: values['state-dir'],
    secondHost: values['second-host'],
    services: values.services?.split(',').map((s) => s.trim() as StackService),
    log: (line) => process.stderr.write(`[stack] ${line}\n`),
  };
  const print = (text: string) => process.stdout.write(`${text}\n`);

  if (command === 'down') {
    const stopped = await stopStack(options);
    if (values.json) print(JSON.stringify({ stopped }, null, 2));
    else print(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
    return 0;
  }

  if (command === 'status') {
    const { endpoints, up } = await stackStatus(options);
    const shown = maskSecrets(endpoints, values['show-secrets']);
    if (values.json) print(JSON.stringify({ ...shown, up }, null, 2));
    else print(`state dir ${endpoints.stateDir}\n\n${formatTable(summaryRows(shown, up))}`);
    return Object.values(up).every(Boolean) ? 0 : 1;
  }

  const started = Date.now();
  const stack = await startStack(options);
  const shown = maskSecrets({ ...stack }, values['show-secrets']);
  if (values.json) {
    print(JSON.stringify(shown, null, 2));
  } else {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    print(
      `\nThe local stack is up (${seconds} s; state dir ${stack.stateDir}):\n\n${formatTable(summaryRows(shown))}`,
    );
    print('\nDaemons keep running; `npm run stack -- down` stops them.');
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`cloudwady-stack: ${error.message}\n`);
    process.exitCode = 1;
  },
);
