/** The corpus of real answers stays honest: every body is parseable, has its source recorded, and holds no credential. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { REAL_CLOUDS, REAL_ROOT, realFiles, realText } from '../helpers/real-answers';

const sources = readFileSync(path.join(REAL_ROOT, 'SOURCES.md'), 'utf8');

describe.each(REAL_CLOUDS)('real answers of %s', (cloud) => {
  it('are stored', () => {
    expect(realFiles(cloud).length).toBeGreaterThan(0);
  });

  it.each(realFiles(cloud))('%s is JSON, listed in SOURCES.md with a repository@commit:path or URL, and carries no credential', (file) => {
    const text = realText(cloud, file);
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    const row = sources.split('\n').find((line) => line.startsWith(`| \`${file}\` |`));
    expect(row).toBeDefined();
    expect(row).toMatch(/[\w.-]+\/[\w.-]+@[0-9a-f]{40}:|docs\.nscale\.com|file id \d+/);
    // Alibaba AccessKey IDs start with LTAI; AWS-style keys with AKIA; nothing here may look like a secret or token.
    expect(text).not.toMatch(
      /LTAI[0-9A-Za-z]{12,}|AKIA[0-9A-Z]{16}|"(?:AccessKey(?:Id|Secret)?|SecretKey|SecurityToken|Password|PrivateKey|serviceToken)"\s*:/i,
    );
  });
});
