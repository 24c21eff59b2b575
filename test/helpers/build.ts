import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs `npm run build` when any of `files` (paths under the repository) or the got bundle the HTTP layer requires is
 * missing. `npm test` builds first; this serves a single test file run on a fresh clone. A stale dist/ is used as
 * it is: rebuild after changing the sources.
 */
export function buildIfMissing(...files: string[]): void {
  const needed = [...files, 'dist/provider/core/http/vendor/got.js', 'provider/core/http/vendor/got.js'];
  if (needed.every((file) => fs.existsSync(path.join(ROOT, file)))) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
