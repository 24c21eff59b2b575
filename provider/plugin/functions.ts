/**
 * The plugin's functions, dispatched by token through a plain map. Each validates its arguments against the
 * schema's inputs, runs the same core pipeline as the SDK, and maps a bad argument to a check failure naming it.
 */
import type { CloudImagesConfig } from '../core/config';
import { ValidationError } from '../core/errors';
import { TOKENS } from '../surface';
import { cutText } from '../core/text';
import type { CheckFailure } from '../core/config';
import type { CloudRegistry } from '../core/module';

export interface InvokeResult {
  outputs: Record<string, unknown>;
  failures?: CheckFailure[];
  warnings?: string[];
}

type Fn = (args: Record<string, unknown>, config: CloudImagesConfig, registry: CloudRegistry) => Promise<InvokeResult>;

/* eslint-disable @typescript-eslint/no-require-imports */
// The core (and through it the HTTP client and the clouds) loads on the first invoke, not at start-up.
const core = () => require('../lookup') as typeof import('../lookup');

export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  [TOKENS.getImage]: async (args, config, registry) => {
    const outcome = await core().lookupImage(args, { config, registry });
    return { outputs: outcome.result as unknown as Record<string, unknown>, warnings: outcome.warnings };
  },
  [TOKENS.getImages]: async (args, config, registry) => {
    const outcome = await core().lookupImages(args, { config, registry });
    return { outputs: outcome.result as unknown as Record<string, unknown>, warnings: outcome.warnings };
  },
};

/** Runs a function by token. Bad arguments come back as failures; other errors are thrown for the caller to report. */
/** `clouds`: the registry the plugin serves (its entry point assembles it). */
export async function invoke(token: string, args: Record<string, unknown>, config: CloudImagesConfig, clouds: CloudRegistry): Promise<InvokeResult> {
  const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, token) ? FUNCTIONS[token] : undefined;
  // The token is the caller's text: quoted short, so a megabyte of it costs a line, not a megabyte back.
  if (!fn) throw new Error(`unknown function ${JSON.stringify(cutText(token, 100))}; this provider serves ${Object.keys(FUNCTIONS).join(', ')}`);
  const cleaned = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined));
  try {
    return await fn(cleaned, config, clouds);
  } catch (err) {
    if (err instanceof ValidationError) return { outputs: {}, failures: [{ property: err.argument, reason: err.reason }] };
    throw err;
  }
}
