import { MIB, readTransportSettings } from '../../../provider/core/http/settings';
import { ConfigurationError } from '../../../provider/core/errors';
import { captureCli } from '../../helpers/cli';

describe('transport settings (CLOUDIMAGES_TIMEOUT_MS, CLOUDIMAGES_DEADLINE_MS, CLOUDIMAGES_MAX_RESPONSE_MB, CLOUDIMAGES_MAX_LISTING_MB)', () => {
  it('default to 30 s per request, 5 min per lookup, 64 MiB per answer and 256 MiB per lookup; empty means unset', () => {
    expect(readTransportSettings({})).toEqual({ timeoutMs: 30_000, deadlineMs: 300_000, maxResponseBytes: 64 * MIB, maxListingBytes: 256 * MIB });
    expect(
      readTransportSettings({ CLOUDIMAGES_TIMEOUT_MS: '', CLOUDIMAGES_DEADLINE_MS: '', CLOUDIMAGES_MAX_RESPONSE_MB: '', CLOUDIMAGES_MAX_LISTING_MB: '' }),
    ).toEqual(readTransportSettings({}));
  });

  it('take whole numbers from 1 to their maximum', () => {
    expect(
      readTransportSettings({
        CLOUDIMAGES_TIMEOUT_MS: '1',
        CLOUDIMAGES_DEADLINE_MS: '86400000',
        CLOUDIMAGES_MAX_RESPONSE_MB: '512',
        CLOUDIMAGES_MAX_LISTING_MB: '4096',
      }),
    ).toEqual({ timeoutMs: 1, deadlineMs: 86_400_000, maxResponseBytes: 512 * MIB, maxListingBytes: 4096 * MIB });
    expect(readTransportSettings({ CLOUDIMAGES_TIMEOUT_MS: '3600000', CLOUDIMAGES_MAX_RESPONSE_MB: '007' })).toMatchObject({
      timeoutMs: 3_600_000,
      maxResponseBytes: 7 * MIB,
    });
  });

  const aboveMax: Record<string, string> = {
    CLOUDIMAGES_TIMEOUT_MS: '3600001',
    CLOUDIMAGES_DEADLINE_MS: '86400001',
    CLOUDIMAGES_MAX_RESPONSE_MB: '513',
    CLOUDIMAGES_MAX_LISTING_MB: '4097',
  };
  const notPositiveIntegers = ['abc', '0', '-1', '3e9', '1.5', ' 5', '5 ', '0x10', '+5', '1_000', '١٢', 'Infinity', '99999999999'];
  const cases = Object.keys(aboveMax).flatMap((variable) => [...notPositiveIntegers, aboveMax[variable]].map((value) => [variable, value]));
  it.each(cases)('refuse %s=%j as a configuration error naming the variable', (variable, value) => {
    const read = () => readTransportSettings({ [variable]: value });
    expect(read).toThrow(ConfigurationError);
    const quoted = JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(read).toThrow(
      new RegExp(`^${variable} is ${quoted}: expected a whole number of (milliseconds|MiB) from 1 to [\\d,]+ \\(default [\\d,]+\\); unset it for the default$`),
    );
    expect(() => readTransportSettings({ [variable]: String(Number(aboveMax[variable]) - 1) })).not.toThrow();
    try {
      read();
    } catch (err) {
      expect((err as ConfigurationError).setting).toBe(variable);
    }
  });

  it('make the CLI exit 2 before any request, naming the variable', async () => {
    const { code, stdout, stderr } = await captureCli({ CLOUDIMAGES_TIMEOUT_MS: 'abc' }, 'images', '--cloud', 'nscale');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^cloudimages: CLOUDIMAGES_TIMEOUT_MS is "abc": expected a whole number of milliseconds from 1 to 3,600,000/);
  });
});
