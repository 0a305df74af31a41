import { describe, expect, it } from 'vitest';
import { isSecretName, redactHeaders, redactRecord, redactUrl } from './redact';

describe('redactHeaders', () => {
  it('redacts every credential header, keeping an authorization scheme word', () => {
    expect(
      redactHeaders([
        ['Authorization', 'Bearer eyJ.abc.def'],
        ['authorization', 'Token 0123456789'],
        ['Authorization', 'Basic dXNlcjpwYXNz'],
        ['authorization', 'opaque-value'],
        ['Proxy-Authorization', 'Basic cHJveHk6cGFzcw=='],
        ['Cookie', 'sid=s3cr3t; theme=dark'],
        ['set-cookie', 'sid=s3cr3t; HttpOnly'],
        ['x-api-key', 'k-123'],
        ['X-Auth-Token', 't-456'],
        ['x-goog-api-key', 'AIza'],
        ['x-client-secret', 'shh'],
        ['db-password', 'hunter2'],
        ['x-amz-security-token', 'FQo'],
        ['x-session-id', 'abc'],
        ['x-kik-user', 'alice'],
        ['content-type', 'application/protobuf'],
        ['keep-alive', 'timeout=5'],
      ]),
    ).toEqual([
      ['Authorization', 'Bearer <redacted>'],
      ['authorization', 'Token <redacted>'],
      ['Authorization', 'Basic <redacted>'],
      ['authorization', '<redacted>'],
      ['Proxy-Authorization', 'Basic <redacted>'],
      ['Cookie', '<redacted>'],
      ['set-cookie', '<redacted>'],
      ['x-api-key', '<redacted>'],
      ['X-Auth-Token', '<redacted>'],
      ['x-goog-api-key', '<redacted>'],
      ['x-client-secret', '<redacted>'],
      ['db-password', '<redacted>'],
      ['x-amz-security-token', '<redacted>'],
      ['x-session-id', '<redacted>'],
      ['x-kik-user', 'alice'],
      ['content-type', 'application/protobuf'],
      ['keep-alive', 'timeout=5'],
    ]);
  });

  it('names: the listed ones and any with key, token, secret or password in them', () => {
    for (const n of ['authorization', 'PROXY-AUTHORIZATION', 'cookie', 'Set-Cookie', 'apikey', 'refresh_token', 'SECRET', 'Passwd'])
      expect(isSecretName(n), n).toBe(true);
    for (const n of ['x-kik-user', 'content-length', 'grpc-status', ':authority', 'user-agent']) expect(isSecretName(n), n).toBe(false);
  });

  it('redacts Twirp meta by key', () => {
    expect(redactRecord({ token: 'abc', argument: 'room' })).toEqual({ token: '<redacted>', argument: 'room' });
  });
});

describe('redactUrl', () => {
  it('drops user:password and redacts secret query parameters', () => {
    expect(redactUrl('https://user:pass@lk.example.com:7880/twirp')).toBe('https://lk.example.com:7880/twirp');
    expect(redactUrl('wss://lk.example.com/rtc?access_token=eyJ&auto_subscribe=1')).toBe(
      'wss://lk.example.com/rtc?access_token=redacted&auto_subscribe=1',
    );
    expect(redactUrl('http://127.0.0.1:7880/')).toBe('http://127.0.0.1:7880/');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
