/** Tests are TypeScript compiled by ts-jest to CommonJS, like the package itself, with no Node flags: `got` (ESM-only)
 * is loaded from the CommonJS bundle `npm run build` makes (scripts/bundle.js), as users' test runners load it.
 * ts-jest type-checks every test file (the schema test relies on it); 151002 is only its notice that `node16`
 * modules are compiled as CommonJS here, which is what we want, so it is not printed once per file. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The real engine's suite runs apart: npm run test:engine (jest.engine.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/engine/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false, diagnostics: { ignoreCodes: [151002] } }] },
  testTimeout: 30000,
  setupFiles: ['<rootDir>/test/helpers/isolate-cache.js'],
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
