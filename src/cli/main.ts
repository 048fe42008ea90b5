#!/usr/bin/env node
import { runCli } from './run.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug in pgsynth, not a user mistake: show the stack so it can be reported.
    console.error(error);
    process.exitCode = 2;
  },
);
