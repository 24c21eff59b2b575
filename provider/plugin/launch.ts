/**
 * `pulumi package add <this repository>` runs the plugin through Pulumi's Node runner (PulumiPlugin.yaml, `runtime:
 * nodejs`), which `require`s the package's `main`: the SDK. The SDK's entry calls this with its own module; when the
 * module was loaded directly by `@pulumi/pulumi/cmd/run-plugin` (and not imported by a program or by another
 * plugin), the provider is served. Anything else returns false without loading gRPC.
 */
export function startIfLaunchedAsPlugin(mod: NodeModule): boolean {
  const parent = (mod as NodeModule & { parent?: NodeModule | null }).parent?.filename ?? '';
  if (!/[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin[\\/]/.test(parent)) return false;
  /* eslint-disable-next-line @typescript-eslint/no-require-imports */
  void (require('./main') as typeof import('./main')).main(process.argv.slice(2));
  return true;
}
