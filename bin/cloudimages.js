#!/usr/bin/env node
'use strict';
require('../dist/provider/cli/main.js')
  .runCli(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
