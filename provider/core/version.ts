import * as fs from 'fs';
import * as path from 'path';

/**
 * The package root: the nearest directory at or above `from` with a package.json, dist/ excluded (so this holds
 * whether running from source under ts-jest or from dist/, and inside a consumer's node_modules).
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cloudimages: no package.json above ${from}; the package is incomplete`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = packageRoot();

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export const PACKAGE_NAME = pkg.name;
export const VERSION = pkg.version;
export const USER_AGENT = `cloudimages/${VERSION} (+${pkg.name}; node ${process.version})`;
