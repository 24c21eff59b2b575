/** The engine suite (`npm run test:engine`): the same TypeScript setup as jest.config.js, against the real Pulumi
 * CLI that test/engine/global-setup.js chooses or builds (scripts/engine.sh). Each test drives whole `pulumi`
 * operations, hence the long timeout. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/engine'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/engine/global-setup.js',
  testTimeout: 300000,
};
