import { runCli } from '../../provider/cli/main';

/** Runs the CLI in-process with the given environment, capturing what it writes. */
export async function captureCli(env: Record<string, string | undefined>, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
