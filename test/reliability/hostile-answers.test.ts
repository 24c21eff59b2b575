/**
 * Answers crafted to hurt: long runs that make backtracking patterns slow. The bounds are generous (the quadratic
 * pattern this replaces took 61 s on one such record); they catch a regression to super-linear matching.
 */
import { normalizeImage } from '../../provider/clouds/huawei/normalize';
import { distroOf } from '../../provider/clouds/alicloud/normalize';

const SPACES = ' '.repeat(200_000);

describe('normalizers on records built to make regular expressions backtrack', () => {
  it('reads an IMS __os_version of "64" and 200,000 spaces at once', () => {
    const started = Date.now();
    const image = normalizeImage({ id: 'img-1', name: 'n', __os_version: `64${SPACES}` }, 'huaweicloud', 'cn-north-4');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(image.osVersion).toBe('64');
  });

  it('reads an Alibaba OSNameEn with a bitness and 200,000 spaces at once', () => {
    const started = Date.now();
    expect(distroOf(null, `Ubuntu 22.04 64${SPACES}-${SPACES}bi`)).toEqual({ distro: 'ubuntu', version: '22.04' });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
