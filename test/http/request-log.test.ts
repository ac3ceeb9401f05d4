import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/http/request-log.ts';

describe('redactUrl', () => {
  it('redacts every query value but harmless filters', () => {
    expect(redactUrl('/wechat/official-account?signature=abc&timestamp=1&nonce=2&openid=oX&encrypt_type=aes')).toBe(
      '/wechat/official-account?signature=[redacted]&timestamp=[redacted]&nonce=[redacted]&openid=[redacted]&encrypt_type=aes',
    );
    expect(redactUrl('/api/admin/errands?status=open&limit=20')).toBe('/api/admin/errands?status=open&limit=20');
  });
  it('leaves a URL without a query alone, and names a repeated key once', () => {
    expect(redactUrl('/healthz')).toBe('/healthz');
    expect(redactUrl('/x?a=1&a=2')).toBe('/x?a=[redacted]');
  });
});
