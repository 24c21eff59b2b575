/**
 * Secrets never reach a message, a log line or an output. Two nets: every credential a backend resolves is
 * registered here and masked wherever it appears, and URLs and headers have their credential-bearing parts
 * masked by name.
 */
import { cloudModules, CloudModule } from './module';

const secrets = new Set<string>();
const MASK = '***';

/** Names that carry credentials whatever the cloud; each module adds its own (`credentialParameters`). */
const GENERIC_SENSITIVE_NAMES = ['authorization', 'token', 'access_token'];

/** The names (lower case) and the body pattern, derived once per set of registered modules. */
let derived: { modules: readonly CloudModule[]; names: Set<string>; body: RegExp } | undefined;

function sensitive(): NonNullable<typeof derived> {
  const modules = cloudModules();
  if (derived?.modules !== modules) {
    const parameters = [...new Set(modules.flatMap((m) => m.credentialParameters))];
    const escaped = parameters.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    derived = {
      modules,
      names: new Set([...GENERIC_SENSITIVE_NAMES, ...parameters.map((p) => p.toLowerCase())]),
      // Form (`Name=value`) and JSON (`"Name": "value"`) bodies: the value up to the next separator.
      body: new RegExp(`("?)(${escaped.join('|') || '(?!)'})\\1(\\s*[:=]\\s*)"?[^"&,}\\s]*"?`, 'gi'),
    };
  }
  return derived;
}

export function registerSecret(value: string | undefined | null): void {
  // Very short values would mask innocent text everywhere; real credentials are long.
  if (value && value.length >= 6) secrets.add(value);
}

export function isSensitiveName(name: string): boolean {
  return sensitive().names.has(name.toLowerCase());
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return out;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) {
      if (isSensitiveName(name)) parsed.searchParams.set(name, MASK);
    }
    parsed.username = parsed.username ? MASK : '';
    parsed.password = parsed.password ? MASK : '';
    return redact(parsed.toString());
  } catch {
    return redact(url);
  }
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = isSensitiveName(name) ? MASK : redact(Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

/** Masks sensitive keys in a form or JSON body. */
export function redactBody(body: string): string {
  return redact(body)
    .replace(sensitive().body, (_m, q, name, sep) => `${q}${name}${q}${sep}"${MASK}"`);
}
