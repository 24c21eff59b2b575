/**
 * `@cloudimages/pulumi/emulator`: the local emulator of the four clouds' image APIs, for tests. It serves the
 * built-in catalog (or yours) on loopback, checks credentials and signatures as the real services do, adds latency,
 * injects faults (throttling, 5xx, resets, cut-off and invalid bodies, delays) and counts requests.
 *
 * ```ts
 * import { Emulator } from "@cloudimages/pulumi/emulator";
 * const emulator = await new Emulator({ latencyMs: 0 }).start();   // 127.0.0.1, a free port
 * emulator.endpoint("nscale");            // what `endpoint` should be: http://127.0.0.1:<port>/nscale
 * emulator.clientConfig();                // { nscale: { endpoint, serviceToken, organizationId }, … }
 * emulator.inject({ cloud: "nscale", kind: "throttle", times: 2 });
 * await emulator.stop();
 * ```
 */
export { Emulator, builtInCatalog, MAX_RECORDED_REQUESTS, MAX_REQUEST_BODY_BYTES } from '../provider/emulator/server';
export type { EmulatorOptions, Fault, FaultKind, RecordedRequest } from '../provider/emulator/server';
export type { Catalog, CloudCatalog } from '../provider/emulator/types';
