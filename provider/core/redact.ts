/**
 * Secrets never reach a message, a log line or an output. Two nets: every credential a backend resolves is
 * registered here and masked wherever it appears, and URLs and headers have their credential-bearing parts
 * masked by name.
 */
const secrets = new Set<string>();
const MASK = '***';

/** Parameters and headers that carry credentials or signatures (compared case-insensitively). */
const SENSITIVE_NAMES = new Set([
  'signature', 'accesskeyid', 'securitytoken', 'publickey', 'privatekey', 'access_token', 'token',
  'authorization', 'x-auth-token', 'x-security-token', 'x-subject-token',
]);

export function registerSecret(value: string | undefined | null): void {
  // Very short values would mask innocent text everywhere; real credentials are long.
  if (value && value.length >= 6) secrets.add(value);
}

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAMES.has(name.toLowerCase());
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
    .replace(/("?)(Signature|PublicKey|AccessKeyId|SecurityToken)\1(\s*[:=]\s*)"?[^"&,}\s]*"?/gi, (_m, q, name, sep) => `${q}${name}${q}${sep}"${MASK}"`);
}
