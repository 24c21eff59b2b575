/**
 * Every cloud folder has the same parts, so a reader who knows one knows where everything is in another: the module
 * (index.ts, through defineCloud), the client, the errors, the normalizer, the signer (how a request carries its
 * credentials) and the wire types and constants (types.ts). A test adapter sits in test/clouds/<folder>/.
 */
import * as fs from 'fs';
import * as path from 'path';

const CLOUDS = path.join(__dirname, '..', '..', 'provider', 'clouds');
const PARTS = ['client.ts', 'errors.ts', 'index.ts', 'normalize.ts', 'signer.ts', 'types.ts'];
const folders = fs.readdirSync(CLOUDS, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

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
