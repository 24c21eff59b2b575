// `npm run lint`: typescript-eslint's type-checked recommended rules over every TypeScript file that has a tsconfig
// (the project service finds it: tsconfig.json for provider/, sdk/, bench/, test/; each example's own tsconfig.json,
// which compiles it against the built package as users do, so run `npm run build` first), and ESLint's recommended
// rules over the CommonJS scripts.
// Formatting is prettier's (`prettier --check`, also in `npm run lint`), so no stylistic rule is enabled here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '**/node_modules/**',
      '.engine/**',
      'coverage/**',
      // got and its dependencies bundled by scripts/bundle.js: generated, not ours.
      'provider/core/http/vendor/**',
      'test/fixtures/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The code marks a name it means not to use with a leading underscore (a field dropped from a rest copy, a
      // parameter a signature requires); every other unused name is still an error.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // A pool or a lookup passes on the failure it caught, which TypeScript types as unknown: allowed here as
      // only-throw-error allows it for `throw`. Rejecting with a literal or an object is still an error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
    },
  },
  {
    // This test asserts the terminal control sequences the progress line writes (ESC [K erases the line).
    files: ['test/cli/progress.test.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // CommonJS scripts and configs run by Node as they are (no tsconfig covers them): no type information.
    files: ['**/*.js', 'bin/pulumi-resource-cloudimages'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['test/**/*.js'],
    languageOptions: { globals: { ...globals.jest } },
  },
);
