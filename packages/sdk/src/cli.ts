#!/usr/bin/env node
// cloudwady: the SDK's actions for scripts and terminals (`cloudwady --help`).
import { runCli } from './cli/main.js';

// No top-level await: the package also builds to CommonJS.
void runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
