/**
 * The ResourceProvider gRPC service, served directly with the stubs in `@pulumi/pulumi/proto` (the ready-made
 * server in `@pulumi/pulumi/provider` 3.270 drops Configure's variables and leaves CheckConfig unimplemented).
 *
 * Order the engine uses: Handshake (UNIMPLEMENTED is accepted) → GetPluginInfo → (GetSchema) → CheckConfig →
 * DiffConfig → Configure → Invoke… → Cancel. Only light modules load at start-up; the core and the clouds load on
 * the first Invoke.
 */
import * as grpc from '@grpc/grpc-js';
import type * as providerPbT from '@pulumi/pulumi/proto/provider_pb';
import type * as pluginPbT from '@pulumi/pulumi/proto/plugin_pb';
import type * as structPbT from 'google-protobuf/google/protobuf/struct_pb';
import type * as emptyPbT from 'google-protobuf/google/protobuf/empty_pb';
import type { CloudImagesConfig } from '../core/config';
import type { CloudRegistry } from '../core/module';
import { VERSION } from '../core/version';
import { structSafe, unwrap } from './wire';

/* eslint-disable @typescript-eslint/no-require-imports */
const providerPb = require('@pulumi/pulumi/proto/provider_pb') as typeof providerPbT;
const pluginPb = require('@pulumi/pulumi/proto/plugin_pb') as typeof pluginPbT;
const structPb = require('google-protobuf/google/protobuf/struct_pb') as typeof structPbT;
const emptyPb = require('google-protobuf/google/protobuf/empty_pb') as typeof emptyPbT;
const lazyConfig = () => require('../core/config') as typeof import('../core/config');
const lazyFunctions = () => require('./functions') as typeof import('./functions');
const lazySchema = () => require('./schema-gen') as typeof import('./schema-gen');

type Unary<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/** Sends warnings to the engine's log (its address is the plugin's first argument); stderr when there is none. */
export class EngineLog {
  private client?: { log(req: unknown, cb: (err: unknown) => void): void };
  constructor(private readonly address?: string) {}

  warn(message: string): Promise<void> {
    if (!this.address) {
      process.stderr.write(`warning: ${message}\n`);
      return Promise.resolve();
    }
    const engineGrpc = require('@pulumi/pulumi/proto/engine_grpc_pb') as typeof import('@pulumi/pulumi/proto/engine_grpc_pb');
    const enginePb = require('@pulumi/pulumi/proto/engine_pb') as typeof import('@pulumi/pulumi/proto/engine_pb');
    this.client ??= new engineGrpc.EngineClient(this.address, grpc.credentials.createInsecure()) as unknown as EngineLog['client'];
    const request = new enginePb.LogRequest().setSeverity(enginePb.LogSeverity.WARNING).setMessage(message).setUrn('').setEphemeral(false);
    return new Promise((resolve) => {
      this.client!.log(request, (err) => {
        // The engine going away must not fail the invoke: fall back to stderr, which the engine also records.
        if (err) process.stderr.write(`warning: ${message}\n`);
        resolve();
      });
    });
  }
}

export class CloudImagesProvider {
  private config: CloudImagesConfig = {};
  /** Configure saw an unknown value (preview): invokes answer with empty results, as the engine expects. */
  private configUnknown = false;
  private schema?: string;

  /** `clouds`: the registry it serves, which the plugin's entry point (main.ts) assembles. */
  constructor(
    private readonly clouds: CloudRegistry,
    private readonly log = new EngineLog(),
  ) {}

  getVersion(): string {
    return VERSION;
  }

  getSchemaText(): string {
    // Built from the registry's modules (for the built-in clouds the same text as schema.json, which `npm run
    // gen:check` keeps current), so a registry with a cloud of its own serves that cloud's schema too.
    return (this.schema ??= lazySchema().renderSchema(this.clouds));
  }

  /** The gRPC service implementation. Methods not listed answer UNIMPLEMENTED (grpc-js's default). */
  service(): grpc.UntypedServiceImplementation {
    const handshake: Unary<unknown, unknown> = (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED, details: 'Handshake is not implemented' });
    const getPluginInfo: Unary<emptyPbT.Empty, pluginPbT.PluginInfo> = (_call, callback) => {
      callback(null, new pluginPb.PluginInfo().setVersion(this.getVersion()));
    };
    const getSchema: Unary<providerPbT.GetSchemaRequest, providerPbT.GetSchemaResponse> = (_call, callback) => {
      guard(callback, () => new providerPb.GetSchemaResponse().setSchema(this.getSchemaText()));
    };
    const checkConfig: Unary<providerPbT.CheckRequest, providerPbT.CheckResponse> = (call, callback) => {
      guard(callback, () => {
        const news = call.request.getNews();
        const raw = (news?.toJavaScript() ?? {}) as Record<string, unknown>;
        const { value, unknown } = unwrap(raw);
        const response = new providerPb.CheckResponse().setInputs(news ?? new structPb.Struct());
        if (!unknown)
          response.setFailuresList(
            lazyConfig()
              .checkConfig(value as Record<string, unknown>, this.clouds)
              .failures.map(toFailure),
          );
        return response;
      });
    };
    const diffConfig: Unary<providerPbT.DiffRequest, providerPbT.DiffResponse> = (call, callback) => {
      guard(callback, () => {
        const olds = unwrap(call.request.getOlds()?.toJavaScript() ?? {}).value as Record<string, unknown>;
        const news = unwrap(call.request.getNews()?.toJavaScript() ?? {}).value as Record<string, unknown>;
        const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== 'version').sort();
        const diffs = keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
        // A data-only provider: a configuration change never replaces anything.
        return new providerPb.DiffResponse()
          .setChanges(diffs.length ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE)
          .setDiffsList(diffs);
      });
    };
    const configure: Unary<providerPbT.ConfigureRequest, providerPbT.ConfigureResponse> = (call, callback) => {
      guard(callback, () => {
        const raw: Record<string, unknown> = {};
        // The older form: `cloudimages:config:alicloud` → a JSON string.
        call.request.getVariablesMap().forEach((value: string, key: string) => {
          const name = key.replace(/^cloudimages:(config:)?/, '');
          raw[name] = parseMaybeJson(value);
        });
        // The newer form: a Struct of typed values, secrets wrapped in the sentinel. It wins where both are set.
        const args = call.request.getArgs();
        if (args) Object.assign(raw, args.toJavaScript());
        const { value, unknown } = unwrap(raw);
        this.configUnknown = unknown;
        if (!unknown) {
          const { config, failures } = lazyConfig().checkConfig(value as Record<string, unknown>, this.clouds);
          if (failures.length) {
            throw Object.assign(new Error(`invalid cloudimages configuration: ${failures.map((f) => `${f.property}: ${f.reason}`).join('; ')}`), {
              grpcCode: grpc.status.INVALID_ARGUMENT,
            });
          }
          this.config = config;
        }
        return new providerPb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
      });
    };
    const invoke: Unary<providerPbT.InvokeRequest, providerPbT.InvokeResponse> = (call, callback) => {
      void (async () => {
        try {
          const token = call.request.getTok();
          const { value, unknown } = unwrap(call.request.getArgs()?.toJavaScript() ?? {});
          const response = new providerPb.InvokeResponse();
          if (unknown || this.configUnknown) {
            response.setReturn(new structPb.Struct());
          } else {
            const result = await lazyFunctions().invoke(token, value as Record<string, unknown>, this.config, this.clouds);
            for (const warning of result.warnings ?? []) await this.log.warn(`${token.split(':').pop()}: ${warning}`);
            response.setReturn(structPb.Struct.fromJavaScript(structSafe(result.outputs) as Record<string, structPbT.JavaScriptValue>));
            response.setFailuresList((result.failures ?? []).map(toFailure));
          }
          callback(null, response);
        } catch (err) {
          callback(toServiceError(err));
        }
      })();
    };
    const cancel: Unary<emptyPbT.Empty, emptyPbT.Empty> = (_call, callback) => callback(null, new emptyPb.Empty());
    return { handshake, getPluginInfo, getSchema, checkConfig, diffConfig, configure, invoke, cancel };
  }
}

/**
 * Bounds on what the plugin receives and echoes. A request larger than MAX_REQUEST_BYTES is refused by gRPC itself
 * (RESOURCE_EXHAUSTED) before it is parsed; real invokes and configurations are a few KiB. Error details travel in
 * gRPC trailers, which clients cap (8 KiB in grpc-js): a longer one would break the call, so messages, properties
 * and reasons are cut.
 */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const MAX_ERROR_CHARS = 4000;
const MAX_FAILURE_CHARS = 1000;

/** At most `max` characters, marking the cut. (Kept here: the core loads only on the first invoke.) */
function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function toFailure(f: { property: string; reason: string }): providerPbT.CheckFailure {
  return new providerPb.CheckFailure().setProperty(bounded(f.property, MAX_FAILURE_CHARS)).setReason(bounded(f.reason, MAX_FAILURE_CHARS));
}

function parseMaybeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function toServiceError(err: unknown): Partial<grpc.ServiceError> {
  const message = bounded(err instanceof Error ? err.message : String(err), MAX_ERROR_CHARS);
  const code = (err as { grpcCode?: grpc.status }).grpcCode ?? grpc.status.UNKNOWN;
  return { code, details: message, message };
}

function guard<T>(callback: grpc.sendUnaryData<T>, body: () => T): void {
  try {
    callback(null, body());
  } catch (err) {
    callback(toServiceError(err));
  }
}

/** Serves on a loopback port; resolves with the server and its port. */
export async function serve(provider: CloudImagesProvider): Promise<{ server: grpc.Server; port: number }> {
  const { ResourceProviderService } = require('@pulumi/pulumi/proto/provider_grpc_pb') as typeof import('@pulumi/pulumi/proto/provider_grpc_pb');
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_REQUEST_BYTES, 'grpc.max_send_message_length': 400 * 1024 * 1024 });
  server.addService(ResourceProviderService, provider.service());
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  return { server, port };
}
