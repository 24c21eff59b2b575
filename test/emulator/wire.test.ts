import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { decodePairs, percentDecode, rfc3986Encode } from '../../provider/emulator/wire';

describe('the emulator’s own wire encoding', () => {
  test('RFC 3986: only A-Z a-z 0-9 - . _ ~ stay; every other UTF-8 byte is %XY upper-case', () => {
    expect(rfc3986Encode("Az09-._~ *+/=&%!'()é😀")).toBe('Az09-._~%20%2A%2B%2F%3D%26%25%21%27%28%29%C3%A9%F0%9F%98%80');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(rfc3986Encode(text)).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
      }),
    );
  });

  test('decoding undoes encoding, with or without the form rule for +', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(percentDecode(rfc3986Encode(text), false)).toBe(text);
        expect(percentDecode(rfc3986Encode(text), true)).toBe(text);
      }),
    );
  });

  test('decoding: + is a space only under the form rule, malformed escapes stay, lower-case hex is read', () => {
    expect(percentDecode('a+b%2Bc', true)).toBe('a b+c');
    expect(percentDecode('a+b%2Bc', false)).toBe('a+b+c');
    expect(percentDecode('100%', false)).toBe('100%');
    expect(percentDecode('%zz%4', false)).toBe('%zz%4');
    expect(percentDecode('%c3%a9', false)).toBe('é');
    expect(percentDecode('%FF', false)).toBe('\uFFFD');
  });

  test('pairs keep their order, repeats and empty values; a bare name has the value ""', () => {
    expect(decodePairs('b=2&a=&a=1&c&&d=x%3Dy=z', false)).toEqual([
      ['b', '2'],
      ['a', ''],
      ['a', '1'],
      ['c', ''],
      ['d', 'x=y=z'],
    ]);
    expect(decodePairs('', false)).toEqual([]);
  });
});

describe('independence of the emulator’s signature checks', () => {
  test('the verifiers and their wire helpers import nothing from the clients (provider/clouds/)', () => {
    const root = path.join(__dirname, '../../provider/emulator');
    const files = [
      'wire.ts',
      ...fs
        .readdirSync(root)
        .filter((d) => fs.existsSync(path.join(root, d, 'verify.ts')))
        .map((d) => `${d}/verify.ts`),
    ];
    expect(files).toEqual(expect.arrayContaining(['wire.ts', 'alicloud/verify.ts', 'huawei/verify.ts', 'ucloud/verify.ts']));
    for (const file of files) {
      const imports = [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      expect({ file, imports: imports.filter((i) => i.includes('clouds')) }).toEqual({ file, imports: [] });
    }
  });
});
