import { redact, redactBody, redactHeaders, redactUrl, registerSecret } from '../../provider/core/redact';
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
    expect(redactUrl('https://x.example.com/?Signature=a%2Bb&AccessKeyId=id1&PageSize=100')).toBe('https://x.example.com/?Signature=***&AccessKeyId=***&PageSize=100');
    expect(redactHeaders({ Authorization: 'SDK-HMAC-SHA256 Access=AK, Signature=x', 'X-Auth-Token': 't', 'X-Sdk-Date': '20191115T033655Z' })).toEqual({
      Authorization: '***', 'X-Auth-Token': '***', 'X-Sdk-Date': '20191115T033655Z',
    });
    expect(redactBody('{"PublicKey":"pk-1","Region":"cn-bj2","Signature":"abcd"}')).toBe('{"PublicKey":"***","Region":"cn-bj2","Signature":"***"}');
  });
  it('errors cannot carry a registered secret in their message', () => {
    registerSecret('token-that-must-not-leak');
    expect(new CloudApiError('refused token-that-must-not-leak', { cloud: 'nscale' }).message).not.toContain('token-that-must-not-leak');
    expect(new ValidationError('endpoint', 'https://u:token-that-must-not-leak@h').message).not.toContain('token-that-must-not-leak');
  });
});
