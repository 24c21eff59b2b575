/**
 * What each cloud can do with each selector (the `selector` arguments of core/query.ts): push it down to its API
 * (with the request parameters it becomes, exactly or approximately), leave it to the local check that selection
 * always applies (core/select.ts), or refuse it because its images do not report the field. A cloud declares this
 * once, as a record keyed by selector name (`satisfies SelectorCapabilities<…>`: a misspelt name does not compile);
 * its push-down, its refusals and its fast-path admission are derived from that record here.
 */
import { ValidationError } from './errors';
import { argumentSpec, isSet, Query, SelectorName } from './query';

/** Request parameters a selector became, and whether the server's filter means exactly what the selector means. */
export interface Pushed {
  readonly params: readonly (readonly [string, string])[];
  /** False when the server's answer may hold images the selector does not match (selection removes them). */
  readonly exact: boolean;
}

export type Capability<Context = void> =
  /** Sent to the API. `push` returns undefined for a value the API cannot express (only the local check applies). */
  | { readonly push: (query: Query, context: Context) => Pushed | undefined }
  /** Checked locally only, on what the cloud reports; the text says why it is not sent. */
  | { readonly local: string }
  /** The cloud's images do not report this, so the selector would match nothing: refused, with what to use instead. */
  | { readonly unreported: string };

/** A cloud's capabilities. A selector it does not mention is checked locally (safe); refusals are always explicit. */
export type SelectorCapabilities<Context = void> = { readonly [Name in SelectorName]?: Capability<Context> };

/** What a selector on this cloud is: `push`, `local` (also where the cloud says nothing) or `unreported`. */
export function capabilityKind(capabilities: SelectorCapabilities<never>, selector: SelectorName): 'push' | 'local' | 'unreported' {
  const capability = capabilities[selector];
  return capability === undefined || 'local' in capability ? 'local' : 'push' in capability ? 'push' : 'unreported';
}

/**
 * Refuses selectors on fields a cloud does not report: they would match nothing (the field is null), which reads as
 * "no such image" when the truth is "this cloud cannot tell". In the order the cloud declares them.
 */
export function refuseUnreportedSelectors<Context>(query: Query, cloud: string, capabilities: SelectorCapabilities<Context>): void {
  for (const [argument, capability] of Object.entries(capabilities) as [SelectorName, Capability<Context>][]) {
    if ('unreported' in capability && isSet(query[argument])) {
      throw new ValidationError(argument, `${cloud} images do not report this, so it would match nothing; ${capability.unreported}`);
    }
  }
}

export interface SelectorPushDown {
  /** The parameters of every pushed selector the query sets, in the order the cloud declares its selectors. */
  params: [string, string][];
  /**
   * Deny by default: true only when every selector the query sets was sent exactly. A selector checked locally,
   * one the API cannot express for this value, one whose parameter the caller's filters already set, and any
   * argument the table does not know make it false.
   */
  exact: boolean;
}

/**
 * Pushes down the selectors a query sets, as the cloud's capabilities say. `taken` names parameters the caller's
 * filters already set: those are not sent twice, and the caller's value decides (so that selector is not exact).
 */
export function pushSelectors<Context>(
  query: Query,
  capabilities: SelectorCapabilities<Context>,
  context: Context,
  taken: (param: string) => boolean = () => false,
): SelectorPushDown {
  const params: [string, string][] = [];
  const exactly = new Set<string>();
  for (const [selector, capability] of Object.entries(capabilities) as [SelectorName, Capability<Context>][]) {
    if (!('push' in capability) || !isSet(query[selector])) continue;
    const pushed = capability.push(query, context);
    if (pushed === undefined) continue;
    let exact = pushed.exact;
    for (const [name, value] of pushed.params) {
      if (taken(name)) exact = false;
      else params.push([name, value]);
    }
    if (exact) exactly.add(selector);
  }
  const exact = Object.entries(query).every(([argument, value]) => {
    if (!isSet(value)) return true;
    const spec = argumentSpec(argument);
    return spec !== undefined && (spec.role !== 'selector' || exactly.has(argument));
  });
  return { params, exact };
}
