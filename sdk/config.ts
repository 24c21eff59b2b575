/**
 * Where the SDK functions get their configuration: the `cloudimages` namespace of the stack's Pulumi config (one
 * object per cloud, credentials read as secrets), or an explicit object passed as `opts.config` for a second account
 * or endpoint. Fields left unset fall back to each cloud's environment variables (the core does that).
 */
import * as pulumi from '@pulumi/pulumi';
import type { CloudRegistry } from '../provider/core/module';
import { ConfigurationError } from '../provider/core/errors';

import { checkConfig, CloudImagesConfig as CoreConfig } from '../provider/core/config';
import type { CloudImagesConfig } from './types';

/** The Pulumi config namespace, as in `pulumi config set --secret --path cloudimages:alicloud.accessKeySecret …`. */
export const CONFIG_NAMESPACE = 'cloudimages';

/** An explicit configuration whose fields may be Inputs (e.g. `config.requireSecret(...)`), for the Output forms. */
export type CloudImagesConfigInput = {
  [C in keyof CloudImagesConfig]?: pulumi.Input<{ [F in keyof NonNullable<CloudImagesConfig[C]>]?: pulumi.Input<string> }>;
};

/**
 * The stack's `cloudimages` configuration as an Output. Each cloud's object is read with `getSecretObject`, so the
 * credentials inside stay secrets in Pulumi's eyes; the Output itself is unsecreted because nothing derived from it
 * leaves this package: results are catalog data, never credentials.
 */
export function stackConfigOutput(clouds: CloudRegistry): pulumi.Output<CloudImagesConfig> {
  const cfg = new pulumi.Config(CONFIG_NAMESPACE);
  const sections: Record<string, pulumi.Output<unknown>> = {};
  for (const cloud of clouds.names()) {
    const section = cfg.getSecretObject<unknown>(cloud);
    if (section !== undefined) sections[cloud] = section;
  }
  return pulumi.unsecret(pulumi.output(sections));
}

/** The stack's `cloudimages` configuration, for the plain (Promise) forms. */
export function stackConfig(clouds: CloudRegistry): Promise<CloudImagesConfig> {
  return settle(stackConfigOutput(clouds));
}

/** Checks a configuration object (unknown clouds or fields, non-string values) and returns the core's form. */
export function toCoreConfig(raw: unknown, source: string, clouds: CloudRegistry): CoreConfig {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigurationError(`${source}: expected an object with one entry per cloud (${clouds.names().join(', ')})`);
  const { config, failures } = checkConfig(raw as Record<string, unknown>, clouds);
  if (failures.length) {
    throw new ConfigurationError(`${source}: ${failures.map((f) => `${f.property}: ${f.reason}`).join('; ')}`, `cloudimages:${failures[0].property}`);
  }
  return config;
}

/** The value of a known Output. Config Outputs are always known, so this settles even during preview. */
export function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
    // An Output that fails never calls apply; surface its error instead of hanging.
    (output as unknown as { promise(): Promise<T> }).promise?.().catch(reject);
  });
}
