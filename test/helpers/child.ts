import { execFile } from 'child_process';
import * as path from 'path';

/** The built HTTP client (npm test builds dist/ first), for scripts run in a fresh Node process. */
export const BUILT_CLIENT = path.resolve(__dirname, '../../dist/provider/core/http/client.js');
/** The built lookup (lookupImages, lookupImage), likewise. */
export const BUILT_LOOKUP = path.resolve(__dirname, '../../dist/provider/lookup.js');

/**
 * Runs `script` in a fresh Node process (this Node binary) with only PATH and `env`, and parses the JSON it prints:
 * for what one process can only show alone (its peak memory, NODE_EXTRA_CA_CERTS read at start-up).
 */
export function runScript<T>(script: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as T);
    });
  });
}
