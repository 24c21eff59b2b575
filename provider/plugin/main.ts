/**
 * Entry point of `bin/pulumi-resource-cloudimages`. The engine starts it with its own address as the argument (or
 * none), reads the first stdout line as the port, and talks gRPC. Nothing may be printed before the port.
 */
import { CloudImagesProvider, EngineLog, serve } from './server';
import { BUILT_IN_REGISTRY } from '../clouds';
import { PACKAGE_NAME, VERSION } from '../core/version';

export const USAGE = `Usage: pulumi-resource-cloudimages [--logtostderr] [-v=N] [--tracing ENDPOINT] [ENGINE_ADDRESS]

The Pulumi resource provider plugin of ${PACKAGE_NAME} ${VERSION}: the functions cloudimages:index:getImage and
cloudimages:index:getImages over Pulumi's ResourceProvider gRPC protocol. The Pulumi engine starts it; started
by hand it prints the port it serves on and waits. Install it for the engine with
  pulumi plugin install resource cloudimages ${VERSION} --file pulumi-resource-cloudimages-v${VERSION}.tar.gz
`;

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  // Asked by a person, not the engine (which never passes these): usage instead of a port and a wait.
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const engineAddress = engineAddressFrom(argv);
  const { port } = await serve(new CloudImagesProvider(BUILT_IN_REGISTRY, new EngineLog(engineAddress)));
  process.stdout.write(`${port}\n`);
}

/**
 * The engine starts plugins as `[--logtostderr] [-v=N] [--tracing ENDPOINT] ENGINE_ADDRESS`: the address is the
 * argument left after the flags (and the tracing endpoint). Warnings are logged to it.
 */
export function engineAddressFrom(argv: string[]): string | undefined {
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tracing') i++;
    else if (!argv[i].startsWith('-')) positional.push(argv[i]);
  }
  return positional[0];
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`pulumi-resource-cloudimages: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
