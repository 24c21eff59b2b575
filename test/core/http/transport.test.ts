import { checkEndpoint, isLoopbackHost } from '../../../provider/core/http/transport';
import { backoffDelay, parseRetryAfter } from '../../../provider/core/http/retry';
import { TransportError } from '../../../provider/core/errors';

describe('checkEndpoint', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]', '127.8.9.10'])('allows plain http to loopback %s', (host) => {
    expect(checkEndpoint(`http://${host}:8080/alicloud/`)).toBe(`http://${host}:8080/alicloud`);
  });
  it.each(['http://ecs.cn-hangzhou.aliyuncs.com', 'http://10.0.0.1', 'http://127.0.0.1.evil.com'])('refuses plain http to %s', (url) => {
    expect(() => checkEndpoint(url)).toThrow(TransportError);
    expect(() => checkEndpoint(url)).toThrow(/refusing plain http:\/\/ for endpoint .*use https:\/\//);
  });
  it('refuses a region that is not a plain name before it reaches a host name', () => {
    expect(() => checkEndpoint('https://ims.{region}.myhuaweicloud.com', 'endpoint', 'evil.example/x#')).toThrow(/invalid argument "region": "evil\.example\/x#" is not a region name/);
  });

  it('fills {region} and rejects what is not a URL', () => {
    expect(checkEndpoint('https://ims.{region}.myhuaweicloud.com', 'endpoint', 'ap-southeast-1')).toBe('https://ims.ap-southeast-1.myhuaweicloud.com');
    expect(() => checkEndpoint('ims.example.com')).toThrow(/expected an absolute https:\/\/ URL/);
    expect(() => checkEndpoint('ftp://x.example.com')).toThrow(/only https:\/\//);
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
    expect(backoffDelay(policy, 1, '2')).toBe(2000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
