import { describe, expect, it } from 'vitest';
import * as jose from 'jose';
import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { mintLiveKitToken, verifyLiveKitToken, TokenError, LIVEKIT_DEV_PRESET } from './access-token';
import { grantForRoomServiceMethod } from './grants';

const KEY = LIVEKIT_DEV_PRESET.apiKey;
const SECRET = LIVEKIT_DEV_PRESET.apiSecret;

describe('mintLiveKitToken', () => {
  it('passes livekit-server-sdk TokenVerifier, with the claims AccessToken would put there', async () => {
    for (const method of ['CreateRoom', 'ListRooms', 'DeleteRoom', 'ListParticipants', 'MoveParticipant']) {
      const grant = grantForRoomServiceMethod(method, { room: 'r', destinationRoom: 'd' });
      const ours = await mintLiveKitToken({ apiKey: KEY, apiSecret: SECRET, grant, identity: 'admin' });
      const at = new AccessToken(KEY, SECRET, { identity: 'admin', ttl: '10m' });
      at.addGrant(grant);
      const theirs = await at.toJwt();
      const verified = await new TokenVerifier(KEY, SECRET).verify(ours);
      const expected = jose.decodeJwt(theirs);
      expect(verified.video).toEqual(expected.video);
      expect(verified.iss).toBe(KEY);
      expect(verified.sub).toBe('admin');
      expect(verified.exp! - verified.nbf!).toBe(expected.exp! - expected.nbf!);
      expect(jose.decodeProtectedHeader(ours)).toEqual({ alg: 'HS256' });
      expect(Object.keys(verified).sort()).toEqual(Object.keys(expected).sort());
    }
  });

  it('grants per method, as RoomServiceClient asks for them', () => {
    expect(grantForRoomServiceMethod('CreateRoom')).toEqual({ roomCreate: true });
    expect(grantForRoomServiceMethod('DeleteRoom')).toEqual({ roomCreate: true });
    expect(grantForRoomServiceMethod('ListRooms')).toEqual({ roomList: true });
    expect(grantForRoomServiceMethod('SendData', { room: 'x' })).toEqual({ roomAdmin: true, room: 'x' });
    expect(grantForRoomServiceMethod('ForwardParticipant', { room: 'x', destinationRoom: 'y' })).toEqual({
      roomAdmin: true,
      room: 'x',
      destinationRoom: 'y',
    });
  });

  it('is refused by TokenVerifier with the wrong secret, and requires identity for roomJoin', async () => {
    const t = await mintLiveKitToken({ apiKey: KEY, apiSecret: 'other', grant: { roomList: true } });
    await expect(new TokenVerifier(KEY, SECRET).verify(t)).rejects.toThrow();
    await expect(mintLiveKitToken({ apiKey: KEY, apiSecret: SECRET, grant: { roomJoin: true, room: 'r' } })).rejects.toThrow(
      /identity is required/,
    );
  });
});

describe('verifyLiveKitToken (the mock server side)', () => {
  const keys = (k: string) => (k === KEY ? SECRET : undefined);
  it('accepts SDK tokens and applies a 1 minute leeway on exp and nbf', async () => {
    const at = new AccessToken(KEY, SECRET, { ttl: 10 });
    at.addGrant({ roomList: true });
    const tok = await at.toJwt();
    await expect(verifyLiveKitToken(tok, keys)).resolves.toMatchObject({ iss: KEY, video: { roomList: true } });
    await expect(verifyLiveKitToken(tok, keys, new Date(Date.now() + 65_000))).resolves.toBeDefined();
    await expect(verifyLiveKitToken(tok, keys, new Date(Date.now() + 75_000))).rejects.toThrow(/expired/);
    await expect(verifyLiveKitToken(tok, keys, new Date(Date.now() - 55_000))).resolves.toBeDefined();
    await expect(verifyLiveKitToken(tok, keys, new Date(Date.now() - 65_000))).rejects.toThrow(/not valid yet/);
  });

  it('refuses an unknown key, garbage and a non-HS256 token, never echoing the token', async () => {
    const other = await mintLiveKitToken({ apiKey: 'nope', apiSecret: SECRET, grant: {} });
    await expect(verifyLiveKitToken(other, keys)).rejects.toThrow('invalid API key: nope');
    await expect(verifyLiveKitToken('garbage', keys)).rejects.toThrow('invalid authorization token');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: KEY, exp: 9e9 })).toString('base64url')}.`;
    const e = await verifyLiveKitToken(none, keys).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TokenError);
    expect((e as Error).message).not.toContain(none);
  });
});
