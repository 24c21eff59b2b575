import { checkEndpoint, isLoopbackHost } from '../../../provider/core/http/transport';
import { backoffDelay, parseRetryAfter } from '../../../provider/core/http/retry';
import { TransportError } from '../../../provider/core/errors';
import { CLOUD_NAMES } from '../../../provider/clouds/registry';
import { lookupImages } from '../../../provider/lookup';
import { useEmulator } from '../../helpers/emulator';
import { BUILT_IN_REGION } from '../../helpers/regions';

describe('checkEndpoint', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]', '127.8.9.10'])('allows plain http to loopback %s', (host) => {
    expect(checkEndpoint(`http://${host}:8080/alicloud/`)).toBe(`http://${host}:8080/alicloud`);
  });
  it.each(['http://ecs.cn-hangzhou.aliyuncs.com', 'http://10.0.0.1', 'http://127.0.0.1.evil.com'])('refuses plain http to %s', (url) => {
    expect(() => checkEndpoint(url)).toThrow(TransportError);
    expect(() => checkEndpoint(url)).toThrow(/refusing plain http:\/\/ for endpoint .*use https:\/\//);
  });
  it('refuses a region that is not a plain name before it reaches a host name', () => {
    expect(() => checkEndpoint('https://ims.{region}.myhuaweicloud.com', 'endpoint', 'evil.example/x#')).toThrow(
      /invalid argument "region": "evil\.example\/x#" is not a region name/,
    );
  });

  it('fills {region} and rejects what is not a URL', () => {
    expect(checkEndpoint('https://ims.{region}.myhuaweicloud.com', 'endpoint', 'ap-southeast-1')).toBe('https://ims.ap-southeast-1.myhuaweicloud.com');
    expect(() => checkEndpoint('ims.example.com')).toThrow(/expected an absolute https:\/\/ URL/);
    expect(() => checkEndpoint('ftp://x.example.com')).toThrow(/only https:\/\//);
  });
  it.each([
    [
      'https://alice:s3cret-pw@ims.example.com',
      /refusing endpoint https:\/\/\*\*\*:\*\*\*@ims\.example\.com\/: it carries user:password@, which would be sent as Basic auth/,
    ],
    ['https://alice@ims.example.com', /refusing endpoint https:\/\/\*\*\*@ims\.example\.com\/: it carries user:password@/],
    ['https://ims.example.com/v2#frag', /refusing endpoint https:\/\/ims\.example\.com\/v2#…: a base URL has no fragment/],
    ['https://ims.example.com/#', /a base URL has no fragment/],
  ])('refuses %s (credentials or a fragment in a base URL)', (url, message) => {
    expect(() => checkEndpoint(url)).toThrow(TransportError);
    expect(() => checkEndpoint(url)).toThrow(message);
    expect(() => checkEndpoint(url)).not.toThrow(/s3cret-pw|#frag/);
  });

  it('knows loopback names', () => {
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

describe('back-off', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
  it('grows exponentially with jitter in [ceiling/2, ceiling] and is capped', () => {
    expect(backoffDelay(policy, 1, undefined, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, undefined, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, undefined, () => 1)).toBe(400);
    expect(backoffDelay(policy, 10, undefined, () => 1)).toBe(1000);
  });
  it('prefers the server Retry-After, in seconds or as a date', () => {
    expect(backoffDelay(policy, 1, parseRetryAfter('2'))).toBe(2000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('an endpoint with user info or a fragment, on every cloud', () => {
  const emulator = useEmulator();
  it.each(CLOUD_NAMES)('%s: refused before any request', async (cloud) => {
    const endpoint = emulator.endpoint(cloud);
    const query = { cloud, region: BUILT_IN_REGION[cloud](emulator) };
    await expect(lookupImages({ ...query, endpoint }, { config: emulator.clientConfig() })).resolves.toBeDefined(); // the good one works
    emulator.resetCounts();
    for (const bad of [endpoint.replace('http://', 'http://user:pass@'), `${endpoint}#x`]) {
      await expect(lookupImages({ ...query, endpoint: bad }, { config: emulator.clientConfig() })).rejects.toBeInstanceOf(TransportError);
    }
    expect(emulator.count()).toBe(0);
  });
});
