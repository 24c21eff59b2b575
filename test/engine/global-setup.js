// Chooses (or builds, once) the pulumi CLI and the YAML language host for the engine suite, before any test file
// runs, and hands their paths to the test files through the environment. See scripts/engine.sh.
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

module.exports = async function globalSetup() {
  const script = path.join(__dirname, '..', '..', 'scripts', 'engine.sh');
  const run = (what) => execFileSync('bash', [script, what], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  process.env.CLOUDIMAGES_ENGINE_PULUMI = run('which');
  process.env.CLOUDIMAGES_ENGINE_LANGUAGE_YAML = run('language-yaml');
  const version = execFileSync(process.env.CLOUDIMAGES_ENGINE_PULUMI, ['version'], { encoding: 'utf8' }).trim();
  process.stderr.write(`\nengine suite: pulumi ${version} (${process.env.CLOUDIMAGES_ENGINE_PULUMI})\n`);
};
