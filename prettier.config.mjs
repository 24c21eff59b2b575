// The formatter behind `npm run lint` (prettier --check) and `npm run format` (prettier --write). Chosen to fit the
// code as written: single quotes, trailing commas, and 160 columns, the width of the widths tried (120 to 160) that
// changes the fewest lines while staying close to the code's long lines (a code line's 95th percentile is 142).
/** @type {import('prettier').Config} */
export default {
  singleQuote: true,
  trailingComma: 'all',
  printWidth: 160,
  overrides: [
    // The examples are users' Pulumi programs, written as `pulumi new`'s TypeScript templates write them (the
    // quickstart is written as the package's own code).
    { files: 'examples/**', excludeFiles: 'examples/quickstart/**', options: { singleQuote: false, tabWidth: 4 } },
  ],
};
