/**
 * Every cloud folder has the same parts, so a reader who knows one knows where everything is in another: the module
 * (index.ts, through defineCloud), the client, the errors, the normalizer, the signer (how a request carries its
 * credentials) and the wire types and constants (types.ts). A test adapter sits in test/clouds/<folder>/.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const CLOUDS = path.join(__dirname, '..', '..', 'provider', 'clouds');
const PARTS = ['client.ts', 'errors.ts', 'index.ts', 'normalize.ts', 'signer.ts', 'types.ts'];
const folders = fs
  .readdirSync(CLOUDS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

test('there are cloud folders', () => {
  expect(folders.length).toBeGreaterThanOrEqual(4);
});

test.each(folders)('%s has the same parts as every cloud folder, and a test adapter', (folder) => {
  expect(fs.readdirSync(path.join(CLOUDS, folder)).sort()).toEqual(PARTS);
  expect(fs.existsSync(path.join(__dirname, '..', 'clouds', folder, 'adapter.ts'))).toBe(true);
});

test.each(folders)('%s defines its module through the template', (folder) => {
  expect(fs.readFileSync(path.join(CLOUDS, folder, 'index.ts'), 'utf8')).toMatch(/\bdefineCloud\(/);
});

/** Type assertions (`x as T`, `<T>x`, `x!`; `as const` is none) in TypeScript text, found by the compiler's parser. */
function assertionsIn(text: string): string[] {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const isConst = ts.isAsExpression(node) && ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(source) === 'const';
    if ((ts.isAsExpression(node) && !isConst) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) found.push(node.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the assertion finder finds each kind of assertion, and not `as const`', () => {
  expect(assertionsIn('const a = b as string; const c = <number>d; const e = f!; const g = [1] as const; import * as h from "h";')).toEqual([
    'b as string',
    '<number>d',
    'f!',
  ]);
});

test('the sixth cloud goes through the template with no type assertion: the template is enough', () => {
  const text = fs.readFileSync(path.join(__dirname, 'examplecloud.ts'), 'utf8');
  expect(text).toMatch(/\bdefineCloud\(/);
  expect(assertionsIn(text)).toEqual([]);
});
