/**
 * The SDK's argument types come from schema.json's enum types as string-literal unions: `cloud: "alicoud"` does not
 * compile (test/sdk/types/closed-values.ts holds one `@ts-expect-error` per closed set), while the run time still
 * accepts the aliases (amd64, aarch64, …) that JavaScript callers and other languages may send.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as cloudimages from '../../sdk/index';
import { validateQuery } from '../../provider/core/query';

const ROOT = path.resolve(__dirname, '..', '..');
import { BUILT_IN_REGISTRY } from '../../provider/clouds';

test('a misspelt closed value is a compile error (every @ts-expect-error there is needed)', () => {
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const file = path.join(__dirname, 'types', 'closed-values.ts');
  const result = spawnSync(
    process.execPath,
    [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', file],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});

test('a misspelt policy query is a compile error, as a misspelt getImage argument is (every @ts-expect-error there is needed)', () => {
  const fs = jest.requireActual<typeof import('fs')>('fs');
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const args = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node'];
  const file = path.join(__dirname, 'types', 'policy-query.ts');
  const result = spawnSync(process.execPath, [tsc, ...args, file], { cwd: ROOT, encoding: 'utf8' });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
  // Without the directives, exactly those lines fail, each on its misspelling.
  const source = fs.readFileSync(file, 'utf8');
  const copy = path.join(__dirname, 'types', `.policy-query-without-directives-${process.pid}.ts`);
  fs.writeFileSync(copy, source.replace(/\/\/ @ts-expect-error[^\n]*\n/g, '\n'));
  try {
    const bare = spawnSync(process.execPath, [tsc, ...args, copy], { cwd: ROOT, encoding: 'utf8' });
    const errorLines = bare.stdout
      .split('\n')
      .filter((line) => /error TS\d+/.test(line))
      .map((line) => Number(/\((\d+),\d+\)/.exec(line)![1]));
    const expected = source.split('\n').flatMap((line, i) => (/^\s*\/\/ @ts-expect-error/.test(line) ? [i + 2] : []));
    expect([...new Set(errorLines)]).toEqual(expected);
    for (const word of ['archtecture', 'alicoud', 'sparc', 'osDistor', 'friends', 'Record<string, unknown>']) expect(bare.stdout).toContain(word);
  } finally {
    fs.rmSync(copy, { force: true });
  }
});

test('the same file without the directives fails on exactly those lines', () => {
  const fs = jest.requireActual<typeof import('fs')>('fs');
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const source = fs.readFileSync(path.join(__dirname, 'types', 'closed-values.ts'), 'utf8');
  const copy = path.join(__dirname, 'types', `.without-directives-${process.pid}.ts`);
  fs.writeFileSync(copy, source.replace(/\/\/ @ts-expect-error[^\n]*\n/g, '\n'));
  try {
    const result = spawnSync(
      process.execPath,
      [tsc, '--noEmit', '--strict', '--skipLibCheck', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', copy],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const errors = result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors).toHaveLength(source.match(/@ts-expect-error/g)!.length - 1); // the header comment mentions it once
    for (const value of ['alicoud', 'sparc', 'solaris', 'metal', 'friends', 'gone']) expect(result.stdout).toContain(`"${value}"`);
    for (const option of ['provider', 'version', 'pluginDownloadURL']) expect(result.stdout).toContain(`'${option}' does not exist`);
  } finally {
    fs.rmSync(copy, { force: true });
  }
});

test('aliases the types leave out are still accepted at run time', () => {
  for (const [alias, canonical] of [
    ['amd64', 'x86_64'],
    ['x64', 'x86_64'],
    ['aarch64', 'arm64'],
    ['arm', 'arm64'],
    ['x86', 'i386'],
  ]) {
    expect(validateQuery({ cloud: 'nscale', architecture: alias as cloudimages.Architecture }, BUILT_IN_REGISTRY).architecture).toBe(canonical);
  }
});
