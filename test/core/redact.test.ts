import '../../provider/clouds'; // builds the built-in clouds' registry, which registers their credential parameters for masking
import fc from 'fast-check';
import { hostileString } from '../helpers/hostile';
import { FRAGMENT_LENGTH, redact, redactBody, redactHeaders, redactServerText, redactUrl, registerSecret } from '../../provider/core/redact';
import { quoteServerText } from '../../provider/core/text';
import { CloudApiError, ValidationError } from '../../provider/core/errors';

describe('redaction', () => {
  it('masks registered secrets anywhere, also URL-encoded', () => {
    registerSecret('s3cr3t/with+chars');
    expect(redact('key s3cr3t/with+chars and s3cr3t%2Fwith%2Bchars')).toBe('key *** and ***');
  });
  it('ignores values too short to be credentials', () => {
    registerSecret('abc');
    expect(redact('abc')).toBe('abc');
  });
  it('masks credential-bearing query parameters and headers by name', () => {
    expect(redactUrl('https://x.example.com/?Signature=a%2Bb&AccessKeyId=id1&PageSize=100')).toBe(
      'https://x.example.com/?Signature=***&AccessKeyId=***&PageSize=100',
    );
    expect(redactHeaders({ Authorization: 'SDK-HMAC-SHA256 Access=AK, Signature=x', 'X-Auth-Token': 't', 'X-Sdk-Date': '20191115T033655Z' })).toEqual({
      Authorization: '***',
      'X-Auth-Token': '***',
      'X-Sdk-Date': '20191115T033655Z',
    });
    expect(redactBody('{"PublicKey":"pk-1","Region":"cn-bj2","Signature":"abcd"}')).toBe('{"PublicKey":"***","Region":"cn-bj2","Signature":"***"}');
  });
  it('errors cannot carry a registered secret in their message', () => {
    registerSecret('token-that-must-not-leak');
    expect(new CloudApiError('refused token-that-must-not-leak', { cloud: 'nscale' }).message).not.toContain('token-that-must-not-leak');
    expect(new ValidationError('endpoint', 'https://u:token-that-must-not-leak@h').message).not.toContain('token-that-must-not-leak');
  });
});

describe('redaction of every form a secret can take', () => {
  const secret = 'nsq"5Lk/+ x&y<z>~!*(\'é';
  beforeAll(() => registerSecret(secret));
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const forms: [string, string][] = [
    ['JSON-escaped', JSON.stringify(`Bearer ${secret}`)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify({ auth: `Bearer ${secret}` }))],
    ['JSON with escaped slashes', JSON.stringify(secret).replace(/\//g, '\\/')],
    ['URL-encoded', `?token=${encodeURIComponent(secret)}`],
    ['URL-encoded (RFC 3986)', encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)],
    ['URL-encoded, lower-case hex', encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())],
    [
      'RFC 3986, lower-case hex',
      encodeURIComponent(secret)
        .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
        .replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    ],
    ['form-encoded', new URLSearchParams({ token: secret }).toString()],
    ['HTML-escaped', secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')],
    ['base64', b64(secret)],
    ['base64 after one byte', b64(`:${secret}`)],
    ['base64 after two bytes', b64(`id:${secret}`)],
    ['base64 URL-safe', b64(`id:${secret}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
  ];
  it.each(forms)('masks the %s form', (_form, text) => {
    const masked = redact(text);
    expect(masked).toContain('***');
    // Nothing of the secret's distinctive middle survives in any form.
    for (const [, other] of forms) expect(masked.includes(other) && other.length > 8).toBe(false);
  });

  it('masks before a body is quoted and cut, so no prefix of a secret is left', () => {
    const html = `<html><body>bad token ${secret} for you</body></html>`;
    const masked = redact(html).slice(0, 40);
    expect(masked).not.toContain(secret.slice(0, 6));
  });

  it('never leaves a secret in any hostile text around it, in any form (property)', () => {
    const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
    const encodings = [
      (s: string) => s,
      (s: string) => JSON.stringify(s),
      (s: string) => encodeURIComponent(wellFormed(s)),
      (s: string) => Buffer.from(s).toString('base64'),
    ];
    fc.assert(
      fc.property(hostileString, hostileString, fc.integer({ min: 0, max: encodings.length - 1 }), (before, after, e) => {
        const encode = encodings[e];
        // Encoding the whole text (as a server would): the secret sits at any alignment inside it.
        const text = encode(`${before}${secret}${after}`);
        const masked = redact(text);
        expect(masked.includes(secret)).toBe(false);
        expect(masked.includes(encode(secret).replace(/=+$/, '').slice(1, -1))).toBe(false);
        if (e === 3) {
          // Decoding what is left between the masks yields no 8 bytes of the secret at any alignment.
          for (const part of masked.split('***')) {
            for (let shift = 0; shift < 4; shift++) {
              const bytes = Buffer.from(part.slice(shift), 'base64').toString('latin1');
              for (let i = 0; i + 8 <= secret.length; i++) expect(bytes.includes(Buffer.from(secret.slice(i, i + 8)).toString('latin1'))).toBe(false);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('fragments of a secret in server text', () => {
  const secret = 'frAgMeNtSeCrEt0123456789abcdefQRSTUVWXYZ';
  beforeAll(() => registerSecret(secret));
  const anyWindowOf = (text: string) => {
    for (let i = 0; i + FRAGMENT_LENGTH <= secret.length; i++)
      if (text.includes(secret.slice(i, i + FRAGMENT_LENGTH))) return secret.slice(i, i + FRAGMENT_LENGTH);
    return undefined;
  };

  it('masks the first 16 characters followed by an ellipsis, and a token split by markup', () => {
    expect(redactServerText(`invalid token ${secret.slice(0, 16)}… for this project`)).toBe('invalid token ***… for this project');
    const split = `${secret.slice(0, 13)}<br>${secret.slice(13, 27)}<br/>${secret.slice(27)}`;
    expect(anyWindowOf(redactServerText(`<p>${split}</p>`))).toBeUndefined();
    expect(redactServerText(`<p>${split}</p>`)).toBe('<p>***<br>***<br/>***</p>');
  });

  it('leaves runs shorter than 8 characters and unrelated text alone', () => {
    const seven = secret.slice(3, 10);
    expect(redactServerText(`a ${seven} b`)).toBe(`a ${seven} b`);
    expect(redactServerText('Ubuntu 22.04 64bit, created 2024-01-01T00:00:00Z')).toBe('Ubuntu 22.04 64bit, created 2024-01-01T00:00:00Z');
  });

  it('server text quoted in an error shows no fragment (quoteServerText)', () => {
    expect(quoteServerText(`token ${secret.slice(5, 21)}… refused`)).toBe('"token ***… refused"');
  });

  it('masks every run of 8 or more characters of the secret, wherever it sits in hostile text (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(hostileString, fc.integer({ min: 0, max: secret.length - FRAGMENT_LENGTH }), fc.integer({ min: FRAGMENT_LENGTH, max: secret.length })),
          { minLength: 1, maxLength: 4 },
        ),
        hostileString,
        (pieces, tail) => {
          const text = pieces.map(([before, start, length]) => `${before}${secret.slice(start, start + length)}`).join('') + tail;
          expect(anyWindowOf(redactServerText(text))).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is linear: a megabyte of text full of near-misses takes milliseconds', () => {
    const nearMiss = `${secret.slice(0, 7)}#`.repeat(130_000);
    const started = process.hrtime.bigint();
    expect(redactServerText(nearMiss)).toBe(nearMiss);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });
});
