/**
 * Paging hints on disk: how many pages a listing took last time, so a later run can ask for every page at once
 * instead of waiting for page 1 to tell the total. A hint is only ever a guess: the listing still checks its totals,
 * so a wrong or corrupt hint costs at most one more wave of requests, never an image.
 *
 * What is stored: a page count, nothing else (no image data, names or credentials), in a file named by a SHA-256 of
 * what defines the listing (cloud, endpoint, region, the account's fingerprint, the pushed-down request). Where:
 * CLOUDIMAGES_CACHE_DIR, else the user's cache folder (XDG_CACHE_HOME, ~/.cache, %LOCALAPPDATA%); `off` disables.
 * A cache that cannot be read or written is ignored: never an error, never a warning on the user's terminal.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Env } from './config';
import { stableJson } from './keys';

export const CACHE_DIR_VARIABLE = 'CLOUDIMAGES_CACHE_DIR';
/** A hint file is a few bytes; anything longer is not one of ours. */
const MAX_HINT_BYTES = 256;
/** Hints kept per folder: past this the least recently written go (one folder must not grow for ever). */
export const MAX_HINT_FILES = 1000;

/** The folder hints live in, from the lookup's environment; undefined when disabled or no home is known. */
export function cacheDir(env: Env): string | undefined {
  const explicit = env[CACHE_DIR_VARIABLE];
  if (explicit !== undefined && explicit !== '') return explicit.trim().toLowerCase() === 'off' ? undefined : explicit;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : env.LOCALAPPDATA);
  return base ? path.join(base, 'cloudimages') : undefined;
}

/** One listing's hint: the page count it took last time (undefined when unknown or unreadable). */
export interface PagingHint {
  read(): number | undefined;
  /** Records the page count a complete listing took; does nothing when it is what was read. */
  write(pages: number): void;
}

/** The hints of one cache folder. */
export class PagingHints {
  private readonly folder: string;
  constructor(dir: string) {
    this.folder = path.join(dir, 'paging');
  }

  /** The hint for the listing `identity` names (any JSON: it is hashed, never stored). `max`: larger is no hint. */
  hint(identity: unknown, max: number): PagingHint {
    const file = path.join(this.folder, `${createHash('sha256').update(stableJson(identity)).digest('hex')}.json`);
    let known: number | undefined;
    return {
      read: () => (known = readPages(file, max)),
      write: (pages) => {
        if (pages !== known && Number.isInteger(pages) && pages >= 1 && pages <= max) writeAtomically(this.folder, file, `{"pages":${pages}}\n`);
      },
    };
  }
}

/** The hints for a lookup's environment, or undefined when disabled. */
export function pagingHints(env: Env): PagingHints | undefined {
  const dir = cacheDir(env);
  return dir === undefined ? undefined : new PagingHints(dir);
}

/** Removes the least recently written hints past `keep` (only hint files: the folder may hold nothing else). */
function pruneOldest(folder: string, keep: number): void {
  const names = fs.readdirSync(folder).filter((name) => /^[0-9a-f]{64}\.json$/.test(name));
  if (names.length <= keep) return;
  const dated = names.map((name) => ({ name, at: fs.statSync(path.join(folder, name)).mtimeMs })).sort((a, b) => a.at - b.at);
  for (const { name } of dated.slice(0, names.length - keep)) fs.rmSync(path.join(folder, name), { force: true });
}

function readPages(file: string, max: number): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (text.length > MAX_HINT_BYTES) return undefined;
    const pages = (JSON.parse(text) as { pages?: unknown } | null)?.pages;
    return typeof pages === 'number' && Number.isInteger(pages) && pages >= 1 && pages <= max ? pages : undefined;
  } catch {
    return undefined; // missing, unreadable or corrupt: no hint
  }
}

/** A temporary file renamed over the hint, so a reader sees the old hint or the new one, never half of one. */
function writeAtomically(folder: string, file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, text, { mode: 0o600 });
    fs.renameSync(temporary, file);
    pruneOldest(folder, MAX_HINT_FILES);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // an unwritable cache is ignored
    }
  }
}
