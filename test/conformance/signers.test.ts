/**
 * Signers against the official SDKs, and the SDKs against the emulator's own verifier (issue 17, item 4).
 *
 * (a) For the same request, our client signers produce byte for byte the canonical strings and signatures of
 *     `@alicloud/pop-core` and `@huaweicloud/huaweicloud-sdk-core` (clock and nonce fixed), over awkward values:
 *     spaces, `*`, `~`, `+`, `/`, `=`, `&`, `%`, unicode, repeated and empty parameters, STS security tokens.
 * (b) Requests signed and sent by the SDKs over loopback are accepted by the emulator, which verifies with code
 *     of its own (`provider/emulator/<cloud>/verify.ts`); the same request with one byte altered is refused.
 * UCloud has no official SDK here: its published vector and awkward values are checked between our signer and
 * the emulator's verifier, and over loopback in each of the client's encodings.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { stringify as sdkQueryString } from 'querystring';
import { expect } from '@jest/globals';
import fc from 'fast-check';
import RPCClient from '@alicloud/pop-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import { HttpRequestBuilder } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder';
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient';
import * as alicloudSigner from '../../provider/clouds/alicloud/signer';
import * as huaweiSigner from '../../provider/clouds/huawei/signer';
import * as ucloudSigner from '../../provider/clouds/ucloud/signer';
import { buildRequest as buildUcloudRequest, Encoding } from '../../provider/clouds/ucloud/client';
import { receivedPairs, rpcSignature, rpcStringToSign, verifyRpcSignature } from '../../provider/emulator/alicloud/verify';
import { akSkSignature, akSkStringToSign, canonicalRequestOf, parseAkSkAuthorization, verifyAkSkSignature } from '../../provider/emulator/huawei/verify';
import { readUcloudParams, ucloudSignature, ucloudSignedText, verifyUcloudSignature } from '../../provider/emulator/ucloud/verify';
import type { AlicloudCatalog } from '../../provider/emulator/alicloud/catalog';
import type { ImsCatalog } from '../../provider/emulator/huawei/catalog';
import type { UcloudCatalog } from '../../provider/emulator/ucloud/catalog';
import { useEmulator } from '../helpers/emulator';

const emulator = useEmulator();

/** One character from the awkward set or any grapheme: what breaks hand-written encoders. */
const awkwardChar = fc.oneof(
  fc.constantFrom(' ', '*', '~', '+', '/', '=', '&', '%', '!', "'", '(', ')', '.', '-', '_', ':', ',', '?', '#', 'é', '镜', '😀', '\uFF21', '\u00A0'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);
const awkwardText = (minLength = 0) => fc.string({ unit: awkwardChar, minLength, maxLength: 10 });
/**
 * Parameter names for the property tests. fast-check deliberately tries `__proto__`, `constructor` and the like; the
 * SDKs keep parameters in plain objects, where such a name cannot travel (the lookup refuses or keeps them as data long
 * before a signer sees them), so they are not names to compare signers on.
 */
const awkwardName = () => awkwardText(1).filter((n) => !(n in Object.prototype));

/** Sends a raw method + path-with-query (no re-encoding) and headers to the emulator. */
function sendRaw(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: pathAndQuery, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Changes the byte at `index` to another unreserved character (so the request is still well formed). */
function alterByte(text: string, index: number): string {
  return text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

// ─── Alibaba Cloud: @alicloud/pop-core ──────────────────────────────────────────────────────────────────────

/** A loopback server that records the path and query each request arrived with, and answers `{}`. */
function captureServer() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end('{"RequestId":"capture"}');
  });
  return {
    seen,
    start: () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
  };
}

interface AliCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

const ALI_VERSION = '2014-05-26';
const FIXED_TIME = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const FIXED_NONCE = '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf';

/** pop-core's params (arrays flattened by pop-core itself) and the flat names our client sends for them. */
interface AliCase {
  name: string;
  sdk: Record<string, unknown>;
  flat: Record<string, string>;
  /** The parameter whose first byte the tamper test alters. */
  alter: string;
  sts?: boolean;
}

const ALI_CASES: AliCase[] = [
  { name: 'spaces', sdk: { ImageName: 'Ubuntu 22.04 LTS  64 bit ' }, flat: { ImageName: 'Ubuntu 22.04 LTS  64 bit ' }, alter: 'ImageName' },
  { name: '* ~ + (encoders disagree on these)', sdk: { ImageName: "*a~b+c!d'e(f)g*" }, flat: { ImageName: "*a~b+c!d'e(f)g*" }, alter: 'ImageName' },
  {
    name: 'unicode',
    sdk: { ImageName: '镜像-ünï-😀-\uFF21', ImageFamily: 'família' },
    flat: { ImageName: '镜像-ünï-😀-\uFF21', ImageFamily: 'família' },
    alter: 'ImageFamily',
  },
  { name: '/ = & % ?', sdk: { ImageName: 'a/b=c&d%20e?f#g' }, flat: { ImageName: 'a/b=c&d%20e?f#g' }, alter: 'ImageName' },
  {
    name: 'repeated parameters (Tag.N)',
    sdk: {
      Tag: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team name', Value: 'a/b' },
      ],
    },
    flat: { 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod', 'Tag.2.Key': 'team name', 'Tag.2.Value': 'a/b' },
    alter: 'Tag.2.Value',
  },
  { name: 'empty values', sdk: { ImageName: '', ImageFamily: '' }, flat: { ImageName: '', ImageFamily: '' }, alter: 'ImageName' },
  { name: 'awkward parameter names', sdk: { 'X Odd*Name~+': 'v', Ünï: 'ü' }, flat: { 'X Odd*Name~+': 'v', Ünï: 'ü' }, alter: 'X Odd*Name~+' },
  { name: 'STS security token', sdk: { ImageName: 'sts' }, flat: { ImageName: 'sts' }, alter: 'ImageName', sts: true },
];

const TEST_CREDENTIALS: AliCredentials = { accessKeyId: 'testid', accessKeySecret: 'testsecret' };
const TEST_STS: AliCredentials = { accessKeyId: 'STS.testid', accessKeySecret: 'testsecret', securityToken: 'CAIS+sts/token==with&odd*chars~' };

/** The query string pop-core sends: its canonical query, then `&Signature=…` (pop-core appends it unsorted). */
async function popCoreQuery(endpoint: string, seen: string[], credentials: AliCredentials, params: Record<string, unknown>): Promise<string> {
  const client = new RPCClient({ endpoint, apiVersion: ALI_VERSION, ...credentials });
  // Caller-supplied Timestamp and SignatureNonce override pop-core's clock and nonce (its Object.assign order).
  await client.request(
    'DescribeImages',
    { RegionId: 'cn-hangzhou', ...params, Timestamp: alicloudSigner.formatTimestamp(FIXED_TIME), SignatureNonce: FIXED_NONCE },
    { method: 'GET', formatParams: false },
  );
  return seen[seen.length - 1].replace(/^\/\?/, '');
}

function splitSignature(query: string): { canonical: string; signature: string } {
  const at = query.lastIndexOf('&Signature=');
  return { canonical: query.slice(0, at), signature: decodeURIComponent(query.slice(at + '&Signature='.length)) };
}

function ourAliSigned(credentials: AliCredentials, flat: Record<string, string>): Record<string, string> {
  return alicloudSigner.signParams({
    method: 'GET',
    params: { Action: 'DescribeImages', Version: ALI_VERSION, RegionId: 'cn-hangzhou', ...flat },
    credentials,
    now: FIXED_TIME,
    nonce: FIXED_NONCE,
  });
}

describe('Alibaba Cloud RPC signing (HMAC-SHA1) against @alicloud/pop-core', () => {
  const capture = captureServer();
  beforeAll(() => capture.start());
  afterAll(() => capture.stop());

  test('the published test vector, in our signer and in the emulator’s verifier', () => {
    const params = {
      Timestamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    expect(alicloudSigner.computeSignature('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    const pairs = Object.entries<string>(params);
    expect(rpcSignature(rpcStringToSign('GET', pairs), 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(verifyRpcSignature('GET', [...pairs, ['Signature', 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=']], 'testsecret')).toEqual({ ok: true });
    expect(verifyRpcSignature('GET', [...pairs, ['Signature', 'CT9X0VtwR86fNWSnsc6v8YGOjuE=']], 'testsecret').ok).toBe(false);
  });

  test.each(ALI_CASES)('$name: canonical query and signature agree with pop-core byte for byte', async ({ sdk, flat, sts }) => {
    const credentials = sts ? TEST_STS : TEST_CREDENTIALS;
    const sent = await popCoreQuery(capture.url, capture.seen, credentials, sdk);
    const { canonical, signature } = splitSignature(sent);
    const ours = ourAliSigned(credentials, flat);
    expect(alicloudSigner.canonicalQuery(ours)).toBe(canonical);
    expect(ours.Signature).toBe(signature);
    // The emulator's verifier reads pop-core's wire form to the same string to sign, and accepts it.
    const { Signature: _signature, ...unsigned } = ours;
    expect(rpcStringToSign('GET', receivedPairs(sent))).toBe(alicloudSigner.stringToSign('GET', unsigned));
    expect(verifyRpcSignature('GET', receivedPairs(sent), credentials.accessKeySecret)).toEqual({ ok: true });
  });

  test('property: any names and values sign the same in our signer and in pop-core, and verify in the emulator', async () => {
    const reserved = new Set([
      'Signature',
      'Action',
      'Version',
      'RegionId',
      'Format',
      'AccessKeyId',
      'SignatureMethod',
      'SignatureVersion',
      'SignatureNonce',
      'Timestamp',
      'SecurityToken',
    ]);
    const name = awkwardName().filter((n) => !reserved.has(n));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, awkwardText(), { maxKeys: 5 }), fc.option(awkwardText(1), { nil: undefined }), async (params, token) => {
        const credentials = { ...TEST_CREDENTIALS, securityToken: token };
        const sent = await popCoreQuery(capture.url, capture.seen, credentials, params);
        const ours = ourAliSigned(credentials, params);
        expect(alicloudSigner.canonicalQuery(ours)).toBe(splitSignature(sent).canonical);
        expect(ours.Signature).toBe(splitSignature(sent).signature);
        expect(verifyRpcSignature('GET', receivedPairs(sent), credentials.accessKeySecret)).toEqual({ ok: true });
        // And what our client sends is what the emulator verifies.
        expect(verifyRpcSignature('GET', receivedPairs(alicloudSigner.encodeQuery(ours)), credentials.accessKeySecret)).toEqual({ ok: true });
      }),
      { numRuns: 80 },
    );
  });
});

describe('pop-core’s requests on the emulator', () => {
  const catalog = () => emulator.catalog.alicloud as AlicloudCatalog;
  let nonce = 0;

  async function popCoreToEmulator(c: AliCase): Promise<{ json: Record<string, unknown>; url: string }> {
    const creds = catalog().credentials;
    const credentials = c.sts
      ? { accessKeyId: creds.stsAccessKeyId, accessKeySecret: creds.stsAccessKeySecret, securityToken: creds.securityToken }
      : { accessKeyId: creds.accessKeyId, accessKeySecret: creds.accessKeySecret };
    // pop-core's second constructor argument (verbose: answer with the request entry too) is missing from its types.
    const VerboseClient = RPCClient as unknown as new (config: RPCClient.Config, verbose: boolean) => RPCClient;
    const client = new VerboseClient({ endpoint: emulator.endpoint('alicloud'), apiVersion: ALI_VERSION, ...credentials }, true);
    const params = { RegionId: catalog().regions[0], ...c.sdk, SignatureNonce: `conformance-${process.pid}-${++nonce}` };
    const [json, entry] = await client.request<[Record<string, unknown>, { url: string }]>('DescribeImages', params, { method: 'GET', formatParams: false });
    return { json, url: entry.url };
  }

  test.each(ALI_CASES)('$name: accepted, and refused with one byte altered', async (c) => {
    const { json, url } = await popCoreToEmulator(c);
    expect(json).toEqual(expect.objectContaining({ TotalCount: expect.any(Number), Images: expect.anything() }));
    expect(json.Code).toBeUndefined();

    const pathAndQuery = url.slice(emulator.url.length);
    const key = `&${alicloudSigner.percentEncode(c.alter)}=`;
    expect(pathAndQuery).toContain(key);
    const at = pathAndQuery.indexOf(key) + key.length;
    // Nonces are burned only by verified requests, so the tampered copy fails on its signature alone. An empty
    // value is tampered in its name instead.
    const tampered = await sendRaw(alterByte(pathAndQuery, pathAndQuery[at] === '&' ? at - 2 : at));
    expect(tampered.status).toBe(400);
    expect(JSON.parse(tampered.body)).toEqual(expect.objectContaining({ Code: 'SignatureDoesNotMatch' }));
  });

  test('a parameter sent twice is refused, whichever copy was signed', async () => {
    const { url } = await popCoreToEmulator({ name: 'dup', sdk: { ImageName: 'x' }, flat: {}, alter: 'ImageName' });
    const reply = await sendRaw(`${url.slice(emulator.url.length)}&ImageName=x`);
    expect(JSON.parse(reply.body)).toEqual(expect.objectContaining({ Code: 'SignatureDoesNotMatch' }));
  });
});

// ─── Huawei Cloud / Open Telekom Cloud: @huaweicloud/huaweicloud-sdk-core ────────────────────────────────────

type SdkQuery = Record<string, string | string[]>;

/** The SDK's own canonical query step (a protected static of AKSKSigner; it sorts array values in place). */
const sdkCanonicalQuery = (query: SdkQuery): string =>
  (AKSKSigner as unknown as { CanonicalQueryString(request: { queryParams: SdkQuery }): string }).CanonicalQueryString({ queryParams: structuredClone(query) });

interface HwCase {
  name: string;
  query: SdkQuery;
  sts?: boolean;
}

const HW_CASES: HwCase[] = [
  { name: 'spaces', query: { name: 'Ubuntu 22.04 server 64bit ', limit: '1000' } },
  { name: '* ~ + !', query: { name: "*a~b+c!d'e(f)g" } },
  { name: 'unicode', query: { name: '镜像-ünï-😀-\uFF21' } },
  { name: '/ = & %', query: { name: 'a/b=c&d%20e', tag: 'k=v' } },
  // The SDK sorts repeated values before encoding: `a.b` before `a/b` (encoded, `a%2Fb` would sort first).
  { name: 'repeated parameters', query: { tag: ['a/b', 'a.b', 'a b', 'a~b', 'a*b'], __imagetype: 'gold' } },
  { name: 'empty values', query: { name: '', __platform: '' } },
  { name: 'STS security token', query: { __imagetype: 'gold' }, sts: true },
];

const HW_DATE = '20191115T033655Z';
const HW_NOW = new Date(Date.UTC(2019, 10, 15, 3, 36, 55));

interface HwCredentials {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
  projectId: string;
}

/** The SDK's own pipeline: BasicCredentials.processAuthRequest (which runs AKSKSigner.sign) over an HttpRequest. */
async function sdkSigned(endpoint: string, credentials: HwCredentials, query: SdkQuery, date?: string) {
  const sdkCredentials = new BasicCredentials().withAk(credentials.accessKey).withSk(credentials.secretKey).withProjectId(credentials.projectId);
  if (credentials.securityToken) sdkCredentials.withSecurityToken(credentials.securityToken);
  const request = new HttpRequestBuilder()
    .withEndpoint(endpoint)
    .withUrl('/v2/cloudimages')
    .withMethod('GET')
    .withHeaders(date ? { 'X-Sdk-Date': date } : {})
    .withQueryParams(structuredClone(query))
    .build();
  // The client is read only to exchange a federated ID token, which these credentials do not use.
  const signed = await sdkCredentials.processAuthRequest(undefined as unknown as HcClient, request);
  return { request: signed, headers: signed.headers as Record<string, string> };
}

/** Our signer over a URL: the SDK's own query string (querystring.stringify), or our client's RFC 3986 form. */
function ourHwSigned(endpoint: string, credentials: HwCredentials, rawQuery: string) {
  return huaweiSigner.signRequest(
    { method: 'GET', url: `${endpoint}/v2/cloudimages${rawQuery ? `?${rawQuery}` : ''}`, headers: { 'x-project-id': credentials.projectId } },
    credentials,
    HW_NOW,
  );
}

function rfc3986Query(query: SdkQuery): string {
  return Object.entries(query)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${huaweiSigner.rfc3986(k)}=${huaweiSigner.rfc3986(x)}`))
    .join('&');
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

const HW_TEST: HwCredentials = {
  accessKey: 'AK-CONFORMANCE',
  secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
  projectId: '77b6a44cba5143ab91d13ab9a8ff44fd',
};
const HW_ENDPOINT = 'https://ims.eu-de.otc.t-systems.com';

describe('Huawei SDK-HMAC-SHA256 signing against @huaweicloud/huaweicloud-sdk-core', () => {
  test('the published test vector, in the emulator’s verifier', () => {
    const url = new URL('https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0');
    const received = {
      method: 'GET',
      rawPath: url.pathname,
      rawQuery: url.search.slice(1),
      body: '',
      headers: { 'content-type': 'application/json', host: 'service.region.example.com', 'x-sdk-date': HW_DATE },
    };
    const canonical = canonicalRequestOf(received, ['content-type', 'host', 'x-sdk-date']);
    expect(akSkStringToSign(HW_DATE, canonical)).toBe(`SDK-HMAC-SHA256\n${HW_DATE}\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a`);
    const signature = '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe';
    expect(akSkSignature('MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc', akSkStringToSign(HW_DATE, canonical))).toBe(signature);
    const authorization = parseAkSkAuthorization(`SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature=${signature}`)!;
    expect(verifyAkSkSignature(received, authorization, 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc')).toBe(true);
    expect(
      verifyAkSkSignature(
        { ...received, rawQuery: 'limit=3&marker=13551d6b-755d-4757-b956-536f674975c0' },
        authorization,
        'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
      ),
    ).toBe(false);
  });

  test.each(HW_CASES)('$name: canonical query and Authorization agree with the SDK byte for byte', async ({ query, sts }) => {
    const credentials = sts ? { ...HW_TEST, securityToken: 'sts+token/with==odd&chars~*' } : HW_TEST;
    const sdk = await sdkSigned(HW_ENDPOINT, credentials, query, HW_DATE);
    expect(huaweiSigner.canonicalQuery(huaweiSigner.parseQueryPairs(sdkQueryString(query)))).toBe(sdkCanonicalQuery(query));
    for (const rawQuery of [sdkQueryString(query), rfc3986Query(query)]) {
      const ours = ourHwSigned(HW_ENDPOINT, credentials, rawQuery);
      expect(ours.headers.authorization).toBe(sdk.headers.Authorization);
    }
    // The emulator's verifier accepts the SDK's headers over the query string the SDK sends.
    const received = { method: 'GET', rawPath: '/v2/cloudimages', rawQuery: sdkQueryString(query), headers: lowerCased(sdk.headers), body: '' };
    expect(verifyAkSkSignature(received, parseAkSkAuthorization(sdk.headers.Authorization)!, credentials.secretKey)).toBe(true);
  });

  test('property: any query signs the same in our signer and in the SDK, and verifies in the emulator', async () => {
    const value = awkwardText();
    const query = fc.dictionary(awkwardName(), fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 4 })), { maxKeys: 5 });
    await fc.assert(
      // Header values that start or end with a space or tab are the SDK quirk tested below, not a property.
      fc.asyncProperty(
        query,
        fc.option(
          awkwardText(1).filter((t) => !/^[ \t]|[ \t]$/.test(t)),
          { nil: undefined },
        ),
        async (q, token) => {
          const credentials = { ...HW_TEST, securityToken: token };
          const sdk = await sdkSigned(HW_ENDPOINT, credentials, q, HW_DATE);
          const sent = sdkQueryString(q);
          expect(huaweiSigner.canonicalQuery(huaweiSigner.parseQueryPairs(sent))).toBe(sdkCanonicalQuery(q));
          expect(ourHwSigned(HW_ENDPOINT, credentials, sent).headers.authorization).toBe(sdk.headers.Authorization);
          expect(ourHwSigned(HW_ENDPOINT, credentials, rfc3986Query(q)).headers.authorization).toBe(sdk.headers.Authorization);
          const received = { method: 'GET', rawPath: '/v2/cloudimages', rawQuery: sent, headers: lowerCased(sdk.headers), body: '' };
          expect(verifyAkSkSignature(received, parseAkSkAuthorization(sdk.headers.Authorization)!, credentials.secretKey)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('SDK quirk: the Node SDK encodes an already-encoded path segment again (never arises for IMS)', () => {
    // `/v1/a%20b` is signed as `/v1/a%2520b/`; the signing guide, our signer and the emulator decode each
    // segment first. IMS's path is the fixed `/v2/cloudimages` below the endpoint, so only this quirk test sees it.
    const sdkCanonicalUri = (path: string): string => (AKSKSigner as unknown as { CanonicalURI(path: string): string }).CanonicalURI(path);
    expect(sdkCanonicalUri('/v1/a%20b')).toBe('/v1/a%2520b/');
    expect(huaweiSigner.canonicalUri('/v1/a%20b')).toBe('/v1/a%20b/');
    expect(canonicalRequestOf({ method: 'GET', rawPath: '/v1/a%20b', rawQuery: '', headers: {}, body: '' }, []).split('\n')[1]).toBe('/v1/a%20b/');
    for (const path of ['/v2/cloudimages', '/opentelekomcloud/eu-de/v2/cloudimages', '/v1/a b'])
      expect(huaweiSigner.canonicalUri(path)).toBe(sdkCanonicalUri(path));
  });

  test('SDK quirk: it signs header values untrimmed, but HTTP strips surrounding spaces in transit', async () => {
    // The signing guide trims header values; the SDK does not, so a value with a surrounding space is signed
    // as one thing and arrives as another, and cannot verify. Our signer trims spaces and tabs (only those).
    const credentials = { ...HW_TEST, securityToken: ' token ' };
    const sdk = await sdkSigned(HW_ENDPOINT, credentials, {}, HW_DATE);
    const ours = ourHwSigned(HW_ENDPOINT, credentials, '');
    expect(ours.headers.authorization).not.toBe(sdk.headers.Authorization);
    const arrived = { ...lowerCased(sdk.headers), 'x-security-token': 'token' };
    const received = { method: 'GET', rawPath: '/v2/cloudimages', rawQuery: '', headers: arrived, body: '' };
    expect(verifyAkSkSignature(received, parseAkSkAuthorization(sdk.headers.Authorization)!, credentials.secretKey)).toBe(false);
    expect(verifyAkSkSignature(received, parseAkSkAuthorization(ours.headers.authorization)!, credentials.secretKey)).toBe(true);
  });
});

describe('the Huawei SDK’s requests on the emulator', () => {
  const catalog = () => emulator.catalog.opentelekomcloud as ImsCatalog;
  const credentialsFor = (sts?: boolean): HwCredentials => {
    const c = catalog().credentials;
    return sts
      ? { accessKey: c.tempAccessKey, secretKey: c.tempSecretKey, securityToken: c.securityToken, projectId: c.projectId }
      : { accessKey: c.accessKey, secretKey: c.secretKey, projectId: c.projectId };
  };

  test.each(HW_CASES)('$name: sent by the SDK’s own HTTP client, accepted', async ({ query, sts }) => {
    const endpoint = emulator.endpoint('opentelekomcloud').replace('{region}', catalog().regions[0]);
    const { request } = await sdkSigned(endpoint, credentialsFor(sts), query);
    const response = await new DefaultHttpClient({}, [endpoint]).sendRequest(request);
    expect(response.statusCode).toBe(200);
    expect(Array.isArray((response.data as { images?: unknown }).images)).toBe(true);
  });

  test.each(HW_CASES)('$name: the same request with one byte altered in the query or a signed header is refused', async ({ query, sts }) => {
    const endpoint = emulator.endpoint('opentelekomcloud').replace('{region}', catalog().regions[0]);
    const { headers } = await sdkSigned(endpoint, credentialsFor(sts), query);
    const path = `${new URL(endpoint).pathname}/v2/cloudimages`;
    const rawQuery = sdkQueryString(query);
    const send = (q: string, h: Record<string, string>) => sendRaw(`${path}${q ? `?${q}` : ''}`, h);

    expect((await send(rawQuery, headers)).status).toBe(200);
    const tamperedQuery = await send(alterByte(rawQuery, rawQuery.indexOf('=') + 1), headers);
    expect(tamperedQuery.status).toBe(401);
    expect(JSON.parse(tamperedQuery.body)).toEqual(expect.objectContaining({ error_code: 'APIG.0301' }));
    const signedName = sts ? 'X-Security-Token' : 'X-Project-Id';
    const tamperedHeader = await send(rawQuery, { ...headers, [signedName]: alterByte(headers[signedName], 0) });
    expect(tamperedHeader.status).toBe(401);
  });
});

// ─── UCloud: no official SDK here; the published vector, our signer and the emulator's verifier ───────────────

describe('UCloud SHA-1 signing, our signer against the emulator’s verifier', () => {
  const VECTOR = {
    publicKey: 'ucloudsomeone@example.com1296235120854146120',
    privateKey: '46f09bb9fab4f12dfc160dae12273d5332b5debe',
    signature: 'cba5cf5ec4d4233d206b1b54951e3787350a642f',
  };

  test('the published test vector, in our signer and in the emulator’s verifier', () => {
    const signed = ucloudSigner.signParams({ Action: 'DescribeUHostInstance', Region: 'cn-bj2', Limit: 10 }, VECTOR.publicKey, VECTOR.privateKey);
    expect(signed.Signature).toBe(VECTOR.signature);
    expect(ucloudSignature({ Action: 'DescribeUHostInstance', Region: 'cn-bj2', Limit: '10', PublicKey: VECTOR.publicKey }, VECTOR.privateKey)).toBe(
      VECTOR.signature,
    );
    expect(verifyUcloudSignature(signed, VECTOR.privateKey)).toBe(true);
    expect(verifyUcloudSignature({ ...signed, Limit: '11' }, VECTOR.privateKey)).toBe(false);
  });

  test('names sort in UTF-8 byte order, not UTF-16 code-unit order', () => {
    // U+FF21 is EF BC A1 in UTF-8, U+1F600 is F0 9F 98 80: byte order puts U+FF21 first, code units the reverse.
    const params = { '\u{1F600}': '1', '\uFF21': '2', CPU: '3', ChargeType: '4' };
    expect(ucloudSignedText(params)).toBe('CPU3ChargeType4\uFF212\u{1F600}1');
    expect(ucloudSigner.canonicalString(params)).toBe(ucloudSignedText(params));
  });

  test('property: awkward names and values sign the same in our signer and in the emulator’s verifier', () => {
    const name = awkwardName().filter((n) => n !== 'Signature' && n !== 'PublicKey');
    fc.assert(
      fc.property(fc.dictionary(name, fc.oneof(awkwardText(), fc.integer(), fc.boolean(), fc.array(awkwardText(), { maxLength: 3 }))), (params) => {
        const signed = ucloudSigner.signParams(params, VECTOR.publicKey, VECTOR.privateKey);
        expect(ucloudSignedText(signed)).toBe(ucloudSigner.canonicalString(signed));
        expect(verifyUcloudSignature(signed, VECTOR.privateKey)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const AWKWARD: Record<string, string | number | boolean | string[]> = {
    Zone: '',
    MachineType: 'a b*c~d+e/f=g&h%20i',
    K8sVersion: '镜像-ünï-😀-\uFF21',
    'Odd Name*~': 'x',
    Tags: ['a/b', 'a.b', ''],
    Flag: true,
    Limit: 10,
  };

  test.each(['query', 'form', 'json'] as Encoding[])(
    'our client’s %s request with awkward values is accepted, and refused with one byte altered',
    async (encoding) => {
      const c = (emulator.catalog.ucloud as UcloudCatalog).credentials;
      const request = buildUcloudRequest({
        endpoint: emulator.endpoint('ucloud'),
        credentials: {
          publicKey: { value: c.PublicKey, source: 'test' },
          privateKey: { value: c.PrivateKey, source: 'test' },
          projectId: { value: c.ProjectId, source: 'test' },
        },
        params: { Action: 'DescribeUK8SImage', Region: 'cn-bj2', ...AWKWARD },
        encoding,
      });
      const send = async (body: string | undefined, url = request.url) => {
        const res = await fetch(url, { method: request.method, headers: request.headers, body });
        return (await res.json()) as { RetCode: number; Message?: string };
      };
      expect(await send(request.body)).toEqual(expect.objectContaining({ RetCode: 0 }));
      // `c~d` of MachineType arrives literally in every encoding: alter its `d`.
      const tamperedAt = (text: string) => {
        expect(text).toContain('c~d');
        return alterByte(text, text.indexOf('c~d') + 2);
      };
      const tampered = request.body === undefined ? await send(undefined, tamperedAt(request.url)) : await send(tamperedAt(request.body));
      expect(tampered).toEqual(expect.objectContaining({ RetCode: 171 }));
    },
  );

  test('a parameter sent twice in a query string is refused', () => {
    expect(readUcloudParams('GET', 'Action=A&Region=x&Region=y', {}, '')).toEqual({ error: expect.stringContaining('"Region" is given more than once') });
    expect(readUcloudParams('GET', 'A=a+b%2Bc&B', {}, '')).toEqual({ params: { A: 'a b+c', B: '' } });
  });
});
