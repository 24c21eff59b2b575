#!/usr/bin/env node
'use strict';
require('../dist/provider/cli/main.js')
  .runCli(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    // Never a stack trace: the CLI reports its own errors; this is the last resort for anything it missed.
    (err) => {
      process.stderr.write(`cloudimages: unexpected error: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
