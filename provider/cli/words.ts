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
const ANY_ARGUMENT = QUERY_ARGUMENTS.map((spec) => spec.name).join('|');
/** `architecture=arm64`, `tags.team=ml` in a query or a funnel (not `?status=` or `&region=` in a URL). */
const ARGUMENT_VALUE = new RegExp(`(?<![\\w.:?&/=-])(${ANY_ARGUMENT})(?:\\.([^\\s=]+))?=`, 'g');
/** `fails architecture, nameRegex`, `loosen visibility`, `narrow visibility`, `leave gpu unset`. */
const ARGUMENT_AFTER_VERB = new RegExp(
  `\\b(fails|loosen|narrow|leave) ((?:${ANY_ARGUMENT})(?:\\.[^\\s,;)]+)?(?:, (?:${ANY_ARGUMENT})(?:\\.[^\\s,;)]+)?)*)`,
  'g',
);

function flagFor(argument: string): string {
  const [name, key] = argument.split('.', 2);
  const flag = FLAG_OF.get(name);
  if (!flag) return argument;
  return key === undefined ? flag : `${flag} ${key}`;
}

/** A message from the core, in the CLI's words. */
export function inCliWords(message: string): string {
  return (
    message
      // invalid argument "architecture": … → --architecture: …
      .replace(/invalid argument "([\w.]+)": /g, (_m, argument: string) => `invalid ${flagFor(argument)}: `)
      // filters: {InstanceType: "ecs.gn7i-c8g1.2xlarge"} → --filter InstanceType=ecs.gn7i-c8g1.2xlarge
      .replace(/filters: \{(\w+): "([^"]*)"\}/g, (_m, key: string, value: string) => `--filter ${key}=${value}`)
      // set allowUnsafeMostRecent: true / set mostRecent to true → pass --allow-unsafe-most-recent / --most-recent
      .replace(/\bset (\w+)(?:: | to )true\b/g, (m, name: string) => (FLAG_OF.has(name) ? `pass ${FLAG_OF.get(name)}` : m))
      .replace(/\bpass (region|zone|endpoint)\b/g, (_m, name: string) => `pass ${FLAG_OF.get(name)}`)
      // "config cloudimages:nscale.serviceToken or environment variable NSCALE_SERVICE_TOKEN": the CLI reads no config.
      .replace(/config cloudimages:[\w.]+ or (environment variables? )/g, '$1')
      .replace(/(?:set )?config cloudimages:\w+\.(region|regionId|endpoint)\b/g, (_m, field: string) =>
        field === 'endpoint' ? 'pass --endpoint' : 'pass --region',
      )
      // One vocabulary: every argument of a query, funnel or advice is its flag (`--architecture=arm64`, not a mix
      // of `architecture=arm64` and `--name-regex`).
      .replace(ARGUMENT_VALUE, (_m, name: string, key: string | undefined) => (key === undefined ? `${FLAG_OF.get(name)}=` : `${FLAG_OF.get(name)} ${key}=`))
      // --visibility=["private","public"] → --visibility=private,public, as the flag takes it
      .replace(/(--[\w-]+)=\[((?:"[^"\\,\]]*",)*"[^"\\,\]]*")\]/g, (_m, flag: string, list: string) => `${flag}=${list.replace(/"/g, '')}`)
      .replace(ARGUMENT_AFTER_VERB, (_m, verb: string, list: string) => `${verb} ${list.split(', ').map(flagFor).join(', ')}`)
      .replace(/\bleave (--[\w-]+) unset\b/g, 'leave out $1')
      // gpu: true → --gpu, gpu: false → --no-gpu; a non-GPU InstanceType in filters → --filter InstanceType=…
      .replace(/\bgpu: (true|false)\b/g, (_m, value: string) => (value === 'true' ? '--gpu' : '--no-gpu'))
      .replace(/\b(a (?:non-)?GPU) InstanceType in filters\b/g, '$1 InstanceType as --filter InstanceType=…')
      .replace(/\bgetImages\b/g, 'cloudimages images')
      .replace(/\bgetImage\b/g, 'cloudimages image')
      .replace(CAMEL_WORD, (name: string) => FLAG_OF.get(name)!)
  );
}
