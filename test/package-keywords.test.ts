/**
 * package.json carries keywords as Pulumi packages do (`pulumi` and what the package is about: here the clouds and
 * images), the same as schema.json's (which the Pulumi registry reads) without the registry's own category/kind tags,
 * so a new cloud cannot be added to one and not the other.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BUILT_IN_REGISTRY } from '../provider/clouds';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as { keywords?: string[] };

test('package.json keywords: pulumi, images and every cloud, as in schema.json without the registry tags', () => {
  const keywords = read('package.json').keywords ?? [];
  expect(keywords).toEqual(expect.arrayContaining(['pulumi', 'images', ...BUILT_IN_REGISTRY.names()]));
  expect(keywords).toEqual(read('schema.json').keywords!.filter((k) => !/^(category|kind)\//.test(k)));
});
