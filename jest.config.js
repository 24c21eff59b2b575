/** Tests are TypeScript compiled by ts-jest to CommonJS, like the package itself. `got` is ESM-only and
 * is loaded with a real dynamic import(), which jest supports under --experimental-vm-modules (see package.json). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }] },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
