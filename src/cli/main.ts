#!/usr/bin/env node
import { ExitCode } from './exit-codes.js';
import { runCli } from './run.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug in pgsynth, not a user mistake: show the stack so it can be reported. It stopped the
    // command before it could do its work, like a usage error (the runtime commands map theirs to 3).
    console.error(error);
    process.exitCode = ExitCode.usage;
  },
);
