/**
 * Secrets never reach a message, a log line or an output. Two nets: every credential a backend resolves is
 * registered here and masked wherever it appears, and URLs and headers have their credential-bearing parts
 * masked by name.
 *
 * A registered secret is masked in every form a server or a log may carry it: as it is, JSON-escaped (once and
 * twice: JSON inside JSON), URL-encoded (RFC 3986, form encoding, lower-case hex), HTML-escaped, and base64
 * (standard and URL-safe, at each of the three byte alignments it can have inside a longer encoded text, as in
 * `Basic base64(id:secret)`). Callers mask raw text first and only then quote, cut or parse it, so no cut can
 * leave a prefix of a secret behind.
 */
const secrets = new Set<string>();
const MASK = '***';

/** Names that carry credentials whatever the cloud; each module adds its own (`credentialParameters`). */
const GENERIC_SENSITIVE_NAMES = ['authorization', 'token', 'access_token'];

/** The names (lower case) and the body pattern: the generic names, then every registry's modules' (registerCredentialParameters). */
const sensitiveNames = new Set(GENERIC_SENSITIVE_NAMES);
const credentialParameters = new Set<string>();
let sensitiveBody = /(?!)/gi;

/**
 * The request parameters and headers clouds sign or carry credentials in: masked by name from now on. createRegistry
 * (core/module.ts) registers its modules' as registerSecret registers a credential: for the process, never removed,
 * so every cloud any registry can call is covered. Redaction, the lowest layer, is told them and imports no module.
 */
export function registerCredentialParameters(names: readonly string[]): void {
  const added = names.filter((name) => !credentialParameters.has(name));
  if (added.length === 0) return;
  for (const name of added) {
    credentialParameters.add(name);
    sensitiveNames.add(name.toLowerCase());
  }
  const escaped = [...credentialParameters].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Form (`Name=value`) and JSON (`"Name": "value"`) bodies: the value up to the next separator.
  sensitiveBody = new RegExp(`("?)(${escaped.join('|')})\\1(\\s*[:=]\\s*)"?[^"&,}\\s]*"?`, 'gi');
}

/** Base64 text this short (a few bytes of a secret) would mask innocent text everywhere. */
const MIN_FORM_LENGTH = 6;

/** One pattern for every form of every secret, longest first; rebuilt when a secret is registered. */
let pattern: RegExp | null = null;

export function registerSecret(value: string | undefined | null): void {
  // Very short values would mask innocent text everywhere; real credentials are long.
  if (value && value.length >= 6 && !secrets.has(value)) {
    secrets.add(value);
    pattern = null;
    fragments = null;
  }
}

export function isSensitiveName(name: string): boolean {
  return sensitiveNames.has(name.toLowerCase());
}

const jsonInner = (s: string) => JSON.stringify(s).slice(1, -1);
const strictUriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
const htmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/**
 * The base64 characters that depend only on the secret's bytes, when the secret starts `offset` bytes (0–2)
 * into an encoded text: they appear in any base64 text that holds the secret at that alignment.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString('base64')
      .replace(/=+$/, '');
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = encoded.slice(start, end);
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/** Percent-encodings in use: encodeURIComponent, RFC 3986 (Alibaba's signing), WHATWG form encoding, `+` for space. */
function percentForms(secret: string): string[] {
  const uri = encodeURIComponent(secret);
  const forms = [uri, strictUriEncode(secret), new URLSearchParams({ s: secret }).toString().slice(2), uri.replace(/%20/g, '+')];
  return [...forms, ...forms.map(lowerHex)];
}

/** Every form of one secret worth masking. */
export function secretForms(secret: string): string[] {
  const forms = [secret, jsonInner(secret), jsonInner(jsonInner(secret)), jsonInner(secret).replace(/\//g, '\\/'), htmlEscape(secret), ...base64Cores(secret)];
  try {
    forms.push(...percentForms(secret));
  } catch {
    // A secret with a lone surrogate has no percent-encoding (encodeURIComponent throws): nothing to mask there.
  }
  return forms.filter((form) => form.length >= MIN_FORM_LENGTH);
}

function secretPattern(): RegExp | null {
  if (pattern === null && secrets.size > 0) {
    const forms = [...new Set([...secrets].flatMap(secretForms))].sort((a, b) => b.length - a.length);
    // Literal alternatives only: matching is linear in the text (no quantifiers to backtrack on).
    pattern = new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }
  return pattern;
}

/** Cheap test for the raw form only: for text already masked in every form (a parsed, masked answer). */
export function containsSecret(text: string): boolean {
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}

export function redact(text: string): string {
  const p = secretPattern();
  if (p === null) return text;
  p.lastIndex = 0;
  return p.test(text) ? text.replace(p, MASK) : text;
}

/**
 * Fragments: a server may echo part of a credential (its first 16 characters and `…`, or the token split by markup
 * such as `<br>`). Any run of FRAGMENT_LENGTH or more characters of a secret (as it is, JSON-escaped or
 * percent-encoded) is masked in server text. Linear and cheap: every FRAGMENT_LENGTH-character window of the text
 * holds a 4-character block starting at a multiple of 5, and only a block that occurs in some secret (one lookup in
 * a bitmap of hashed blocks) makes the windows around it be compared with the secrets' fragments.
 */
export const FRAGMENT_LENGTH = 8;
const BLOCK = 4;
const STRIDE = FRAGMENT_LENGTH - BLOCK + 1;
const BLOCK_BITS = 20;

interface FragmentIndex {
  windows: Set<string>;
  /** The first two characters of every block, a cheaper first test than hashing four. */
  pairs: Uint8Array;
  blocks: Uint8Array;
}
let fragments: FragmentIndex | null = null;

function blockHash(text: string, at: number): number {
  let h = 0;
  for (let i = at; i < at + BLOCK; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h ^ (h >>> BLOCK_BITS)) & ((1 << BLOCK_BITS) - 1);
}

const pairKey = (text: string, at: number) => ((text.charCodeAt(at) << 8) ^ text.charCodeAt(at + 1)) & 0xffff;

function fragmentIndex(): FragmentIndex | null {
  if (fragments === null && secrets.size > 0) {
    const windows = new Set<string>();
    const blocks = new Uint8Array(1 << BLOCK_BITS);
    const pairs = new Uint8Array(1 << 16);
    for (const secret of secrets) {
      const forms = [secret, jsonInner(secret)];
      try {
        forms.push(...percentForms(secret));
      } catch {
        // no percent-encoding of a lone surrogate (see secretForms)
      }
      for (const form of new Set(forms)) {
        for (let i = 0; i + FRAGMENT_LENGTH <= form.length; i++) windows.add(form.slice(i, i + FRAGMENT_LENGTH));
        for (let i = 0; i + BLOCK <= form.length; i++) {
          blocks[blockHash(form, i)] = 1;
          pairs[pairKey(form, i)] = 1;
        }
      }
    }
    fragments = { windows, pairs, blocks };
  }
  return fragments;
}

/** Masks every run of FRAGMENT_LENGTH or more characters of a registered secret. */
export function redactFragments(text: string): string {
  const index = fragmentIndex();
  if (index === null || text.length < FRAGMENT_LENGTH) return text;
  let out = '';
  let copied = 0;
  let runStart = -1;
  let runEnd = -1;
  const flush = () => {
    if (runStart < 0) return;
    out += text.slice(copied, runStart) + MASK;
    copied = runEnd;
    runStart = -1;
  };
  for (let p = 0; p + BLOCK <= text.length; p += STRIDE) {
    if (index.pairs[pairKey(text, p)] === 0 || index.blocks[blockHash(text, p)] === 0) continue;
    // Windows holding the block at p: they start from p - (FRAGMENT_LENGTH - BLOCK) to p.
    for (let s = Math.max(0, p - (FRAGMENT_LENGTH - BLOCK)); s <= p && s + FRAGMENT_LENGTH <= text.length; s++) {
      if (!index.windows.has(text.slice(s, s + FRAGMENT_LENGTH))) continue;
      if (runStart >= 0 && s <= runEnd) runEnd = Math.max(runEnd, s + FRAGMENT_LENGTH);
      else {
        flush();
        runStart = Math.max(s, copied);
        runEnd = s + FRAGMENT_LENGTH;
      }
    }
  }
  flush();
  return copied === 0 ? text : out + text.slice(copied);
}

/** Text a server chose (an answer, an error it sent): every form of every secret, and any fragment of one, masked. */
export function redactServerText(text: string): string {
  return redactFragments(redact(text));
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
  return redact(body).replace(sensitiveBody, (_m, q, name, sep) => `${q}${name}${q}${sep}"${MASK}"`);
}
