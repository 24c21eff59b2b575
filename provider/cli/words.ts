/**
 * The core words its messages in the SDK's terms (argument names, `filters: {Key: "value"}`, config keys). On the
 * command line those are flags, and credentials come only from environment variables, so messages are translated
 * to what works there before they are printed.
 */
import { QUERY_ARGUMENTS } from '../core/query';

const FLAG_OF = new Map(QUERY_ARGUMENTS.map((spec) => [spec.name, `--${spec.flag}`]));
/** Argument names that are ordinary words too (cloud, region, status…) are translated only where unambiguous. */
const CAMEL_CASE = QUERY_ARGUMENTS.filter((spec) => /[A-Z]/.test(spec.name)).map((spec) => spec.name);
const CAMEL_WORD = new RegExp(`(?<![\\w.:-])(${CAMEL_CASE.join('|')})(?![\\w])`, 'g');

function flagFor(argument: string): string {
  const [name, key] = argument.split('.', 2);
  const flag = FLAG_OF.get(name);
  if (!flag) return argument;
  return key === undefined ? flag : `${flag} ${key}`;
}

/** A message from the core, in the CLI's words. */
export function inCliWords(message: string): string {
  return message
    // invalid argument "architecture": … → --architecture: …
    .replace(/invalid argument "([\w.]+)": /g, (_m, argument: string) => `invalid ${flagFor(argument)}: `)
    // filters: {InstanceType: "ecs.gn7i-c8g1.2xlarge"} → --filter InstanceType=ecs.gn7i-c8g1.2xlarge
    .replace(/filters: \{(\w+): "([^"]*)"\}/g, (_m, key: string, value: string) => `--filter ${key}=${value}`)
    // set allowUnsafeMostRecent: true / set mostRecent to true → pass --allow-unsafe-most-recent / --most-recent
    .replace(/\bset (\w+)(?:: | to )true\b/g, (m, name: string) => (FLAG_OF.has(name) ? `pass ${FLAG_OF.get(name)}` : m))
    .replace(/\bpass (region|zone|endpoint)\b/g, (_m, name: string) => `pass ${FLAG_OF.get(name)}`)
    // "config cloudimages:nscale.serviceToken or environment variable NSCALE_SERVICE_TOKEN": the CLI reads no config.
    .replace(/config cloudimages:[\w.]+ or (environment variables? )/g, '$1')
    .replace(/(?:set )?config cloudimages:\w+\.(region|regionId|endpoint)\b/g, (_m, field: string) => (field === 'endpoint' ? 'pass --endpoint' : 'pass --region'))
    .replace(/\bgetImages\b/g, 'cloudimages images')
    .replace(/\bgetImage\b/g, 'cloudimages image')
    .replace(CAMEL_WORD, (name: string) => FLAG_OF.get(name)!);
}
