import { createHash } from 'crypto';
import { canonicalString, compareBytes, computeSignature, flattenParams, formatValue, signParams } from '../../../provider/clouds/ucloud/signer';

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

describe('UCloud signer', () => {
  test('reproduces the published test vector exactly', () => {
    const signed = signParams(
      { Action: 'DescribeUHostInstance', Region: 'cn-bj2', Limit: 10 },
      'ucloudsomeone@example.com1296235120854146120',
      '46f09bb9fab4f12dfc160dae12273d5332b5debe',
    );
    expect(signed.Signature).toBe('cba5cf5ec4d4233d206b1b54951e3787350a642f');
    expect(signed).toEqual({
      Action: 'DescribeUHostInstance',
      Region: 'cn-bj2',
      Limit: '10',
      PublicKey: 'ucloudsomeone@example.com1296235120854146120',
      Signature: 'cba5cf5ec4d4233d206b1b54951e3787350a642f',
    });
  });

  test('the string to sign is name+value pairs in byte order, no separators, no escaping', () => {
    const flat = flattenParams({ Region: 'cn-bj2', ChargeType: 'Month', CPU: 2, Name: 'a b&c=d/é', PublicKey: 'pk' });
    // Byte order: upper-case letters sort before lower-case ones, so CPU comes before ChargeType.
    expect(canonicalString(flat)).toBe('CPU2ChargeTypeMonthNamea b&c=d/éPublicKeypkRegioncn-bj2');
    expect(computeSignature(flat, 'secret')).toBe(sha1('CPU2ChargeTypeMonthNamea b&c=d/éPublicKeypkRegioncn-bj2secret'));
  });

  test('byte order, not locale order', () => {
    expect(['b', 'B', 'a', 'CPU', 'ChargeType', 'Key.10', 'Key.2'].sort(compareBytes)).toEqual(['B', 'CPU', 'ChargeType', 'Key.10', 'Key.2', 'a', 'b']);
    // Above the Basic Multilingual Plane UTF-16 code-unit order and UTF-8 byte order disagree; bytes win.
    expect(compareBytes('\u{1F600}', '\uFF21')).toBeGreaterThan(0);
  });

  test('value formatting: booleans, numbers, arrays from 0, objects in arrays, nothing for null', () => {
    expect(
      flattenParams({ On: true, Off: false, N: 1.5, Big: 100000, Ids: ['x', 'y'], Disks: [{ Type: 'SSD', Size: 20 }], Gone: null, Unset: undefined }),
    ).toEqual({
      On: 'true',
      Off: 'false',
      N: '1.5',
      Big: '100000',
      'Ids.0': 'x',
      'Ids.1': 'y',
      'Disks.0.Type': 'SSD',
      'Disks.0.Size': '20',
    });
    expect(formatValue(0)).toBe('0');
    expect(() => formatValue(Number.NaN, 'Limit')).toThrow('Limit: NaN cannot be sent to UCloud');
  });

  test('Signature in the input is never signed over, and PublicKey is always the given one', () => {
    const signed = signParams({ Action: 'X', Signature: 'stale', PublicKey: 'old' }, 'pk', 'sk');
    expect(signed.PublicKey).toBe('pk');
    expect(signed.Signature).toBe(sha1('ActionXPublicKeypksk'));
  });
});
