import {
  canonicalQuery,
  computeSignature,
  encodeQuery,
  formatTimestamp,
  percentEncode,
  signParams,
  stringToSign,
} from '../../../provider/clouds/alicloud/signer';

/** The official documentation's example (clouds.md): the parameters of a DescribeRegions call. */
const VECTOR = {
  secret: 'testsecret',
  params: {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26',
  },
};

describe('alicloud signer', () => {
  it('reproduces the published test vector', () => {
    expect(computeSignature('GET', VECTOR.params, VECTOR.secret)).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('builds the documented string to sign for the vector', () => {
    expect(stringToSign('GET', VECTOR.params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
  });

  it('does not reproduce the circulating typo value (TimeStamp spelled with a capital S)', () => {
    const { Timestamp, ...rest } = VECTOR.params;
    expect(computeSignature('GET', VECTOR.params, VECTOR.secret)).not.toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
    expect(computeSignature('GET', { ...rest, TimeStamp: Timestamp }, VECTOR.secret)).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
  });

  it.each([
    ['a b', 'a%20b'],
    ['a*b', 'a%2Ab'],
    ['~-_.', '~-_.'],
    ["!'()", '%21%27%28%29'],
    ['a+b', 'a%2Bb'],
    ['/', '%2F'],
    ['é', '%C3%A9'],
  ])('percent-encodes %j as %j (RFC 3986)', (input, expected) => {
    expect(percentEncode(input)).toBe(expected);
  });

  it('sorts parameter names in byte order, not locale order, and leaves Signature out', () => {
    expect(canonicalQuery({ b: '1', Tag: 'x', a: '2', Signature: 'zzz', 'Tag.1.Key': 'k' })).toBe('Tag=x&Tag.1.Key=k&a=2&b=1');
  });

  it('formats the timestamp as UTC seconds', () => {
    expect(formatTimestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe('2024-01-02T03:04:05Z');
  });

  it('adds the common parameters with the injected clock and nonce, and signs what it sends', () => {
    const signed = signParams({
      method: 'GET',
      params: { Action: 'DescribeImages', RegionId: 'cn-hangzhou', ImageName: 'a b*c' },
      credentials: { accessKeyId: 'id-1', accessKeySecret: 'secret-1', securityToken: 'tok' },
      now: new Date(Date.UTC(2024, 5, 1, 0, 0, 0)),
      nonce: 'nonce-1',
    });
    expect(signed).toMatchObject({
      Format: 'JSON',
      AccessKeyId: 'id-1',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-1',
      Timestamp: '2024-06-01T00:00:00Z',
      SecurityToken: 'tok',
    });
    const { Signature, ...rest } = signed;
    expect(Signature).toBe(computeSignature('GET', rest, 'secret-1'));
    const decoded = Object.fromEntries(new URLSearchParams(encodeQuery(signed)));
    expect(decoded).toEqual(signed);
    expect(encodeQuery(signed)).toContain('ImageName=a%20b%2Ac');
  });

  it('omits SecurityToken without STS credentials', () => {
    const signed = signParams({ method: 'GET', params: {}, credentials: { accessKeyId: 'a', accessKeySecret: 'b' }, now: new Date(0), nonce: 'n' });
    expect(signed).not.toHaveProperty('SecurityToken');
  });
});
