import { CliIo, runCli } from '../../provider/cli/main';

/** Runs the CLI in-process with the given environment, capturing what it writes. */
export async function captureCli(env: Record<string, string | undefined>, ...argv: string[]) {
  return captureCliWith({ env }, ...argv);
}

/** The same with more of the CLI's surroundings (e.g. `now`). */
export async function captureCliWith(io: Omit<CliIo, 'stdout' | 'stderr'>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { ...io, stdout: (t) => void (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
