import {
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatSdkDate,
  parseAuthorization,
  parseQueryPairs,
  parseSdkDate,
  rfc3986,
  sha256Hex,
  signature,
  signedHeaderNames,
  signRequest,
  stringToSign,
} from '../../../provider/clouds/huawei/signer';

// The official APIG signing guide's example (clouds.md, Huawei section).
const VECTOR = {
  url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
  headers: { 'Content-Type': 'application/json', Host: 'service.region.example.com', 'X-Sdk-Date': '20191115T033655Z' },
  secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
  canonicalRequestHash: 'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
  signature: '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
};
const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('SDK-HMAC-SHA256 canonicalization steps', () => {
  test('the canonical URI encodes each segment and always ends with a slash', () => {
    expect(canonicalUri('/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs')).toBe('/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/');
    expect(canonicalUri('/')).toBe('/');
    expect(canonicalUri('/a b/c%2Fd')).toBe('/a%20b/c%2Fd/');
  });

  test('the canonical query is sorted by name and RFC 3986-encoded', () => {
    expect(canonicalQuery(parseQueryPairs('marker=x&limit=2&__imagetype=gold'))).toBe('__imagetype=gold&limit=2&marker=x');
    expect(
      canonicalQuery([
        ['name', "Ubuntu 22.04 (x)*!'"],
        ['tag', 'a=b'],
      ]),
    ).toBe('name=Ubuntu%2022.04%20%28x%29%2A%21%27&tag=a%3Db');
    expect(canonicalQuery([])).toBe('');
    expect(rfc3986('a-_.~')).toBe('a-_.~');
  });

  test('canonical headers are lower-cased, sorted, trimmed and each end with a newline', () => {
    const names = signedHeaderNames({ 'X-Sdk-Date': 'd', Host: 'h', 'content-type': ' j ' });
    expect(names).toEqual(['content-type', 'host', 'x-sdk-date']);
    expect(canonicalHeaders({ 'X-Sdk-Date': 'd', Host: 'h', 'content-type': ' j ' }, names)).toBe('content-type:j\nhost:h\nx-sdk-date:d\n');
  });

  test('dates use the compact UTC form and parse back', () => {
    const when = new Date(Date.UTC(2019, 10, 15, 3, 36, 55, 123));
    expect(formatSdkDate(when)).toBe('20191115T033655Z');
    expect(parseSdkDate('20191115T033655Z')).toBe(Date.UTC(2019, 10, 15, 3, 36, 55));
    expect(parseSdkDate('2019-11-15')).toBeNaN();
    expect(sha256Hex('')).toBe(EMPTY_HASH);
  });
});

describe('the published test vector', () => {
  const url = new URL(VECTOR.url);
  const canonical = canonicalRequest({ method: 'GET', rawPath: url.pathname, rawQuery: url.search.slice(1), headers: VECTOR.headers, body: '' });

  test('canonical request text and hash', () => {
    expect(canonical).toBe(
      [
        'GET',
        '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
        'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
        'content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n',
        'content-type;host;x-sdk-date',
        EMPTY_HASH,
      ].join('\n'),
    );
    expect(sha256Hex(canonical)).toBe(VECTOR.canonicalRequestHash);
  });

  test('string to sign and signature', () => {
    const sts = stringToSign('20191115T033655Z', canonical);
    expect(sts).toBe(`SDK-HMAC-SHA256\n20191115T033655Z\n${VECTOR.canonicalRequestHash}`);
    expect(signature(VECTOR.secretKey, sts)).toBe(VECTOR.signature);
  });

  test('signRequest with the clock passed in produces the same Authorization header', () => {
    const signed = signRequest(
      { method: 'GET', url: VECTOR.url, headers: { 'Content-Type': 'application/json' } },
      { accessKey: 'AK-EXAMPLE', secretKey: VECTOR.secretKey },
      new Date(Date.UTC(2019, 10, 15, 3, 36, 55)),
    );
    expect(signed.headers.authorization).toBe(`SDK-HMAC-SHA256 Access=AK-EXAMPLE, SignedHeaders=content-type;host;x-sdk-date, Signature=${VECTOR.signature}`);
    expect(signed.headers['x-sdk-date']).toBe('20191115T033655Z');
    expect(parseAuthorization(signed.headers.authorization)).toEqual({
      accessKey: 'AK-EXAMPLE',
      signedHeaders: ['content-type', 'host', 'x-sdk-date'],
      signature: VECTOR.signature,
    });
  });
});

describe('signRequest', () => {
  const base = { method: 'GET' as const, url: 'https://ims.eu-de.otc.t-systems.com/v2/cloudimages?limit=1000', headers: { 'x-project-id': 'p1' } };
  const creds = { accessKey: 'AK', secretKey: 'SK-secret-value' };

  test('a temporary credential signs X-Security-Token, and the signature changes with the clock', () => {
    const a = signRequest(base, { ...creds, securityToken: 'sts-token-value' }, new Date(Date.UTC(2024, 0, 1)));
    expect(a.headers['x-security-token']).toBe('sts-token-value');
    expect(a.headers.authorization).toContain('SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,');
    const b = signRequest(base, creds, new Date(Date.UTC(2024, 0, 1)));
    const c = signRequest(base, creds, new Date(Date.UTC(2024, 0, 1, 0, 0, 1)));
    expect(b.headers.authorization).not.toBe(c.headers.authorization);
    expect(base.headers).toEqual({ 'x-project-id': 'p1' });
  });
});
