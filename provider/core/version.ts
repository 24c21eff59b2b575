import * as fs from 'fs';
import * as path from 'path';

/** The package root, found from here whether running from source (ts-jest) or from dist/. */
export const PACKAGE_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cloudimages: no package.json above ${__dirname}; the package is incomplete`);
    dir = parent;
  }
  return dir;
})();

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export const PACKAGE_NAME = pkg.name;
export const VERSION = pkg.version;
export const USER_AGENT = `cloudimages/${VERSION} (+${pkg.name}; node ${process.version})`;
