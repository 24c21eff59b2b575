/**
 * Entry point of `bin/pulumi-resource-cloudimages`. The engine starts it with its own address as the argument (or
 * none), reads the first stdout line as the port, and talks gRPC. Nothing may be printed before the port.
 */
import { serve } from './server';

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  // The engine's address (argv[0]) would serve logging back to the engine; warnings go to stderr instead, which the
  // engine also records. Flags such as --logtostderr or -v=9 are accepted and ignored.
  void argv;
  const { port } = await serve();
  process.stdout.write(`${port}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`pulumi-resource-cloudimages: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  });
}
