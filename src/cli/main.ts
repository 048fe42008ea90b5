#!/usr/bin/env node
import { ExitCode } from './exit-codes.js';
import { runCli } from './run.js';

// The CLI's code is final: a config's timer calling process.exit(0) after the command must not
// turn a failed --check into a pass. (Servers `synth up` starts are detached and unref'd.)
const exit = process.exit.bind(process);

runCli(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    // A bug in pgsynth, not a user mistake: show the stack so it can be reported. It stopped the
    // command before it could do its work, like a usage error (the runtime commands map theirs to 3).
    console.error(error);
    exit(ExitCode.usage);
  },
);
