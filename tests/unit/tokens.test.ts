/** Locally signed tokens are refused when tampered, expired, for another audience or issuer, unsigned, or revoked; grants add up across roles. */
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { LocalTokenAuthority } from '../../functions/adapters/local-tokens.ts';
import { grantsOf, parseRoles, reachesDepartment } from '../../functions/domain/roles.ts';
import { AuthError, type ObjectStore } from '../../functions/ports.ts';
import rolesFile from '../../data/roles.json' with { type: 'json' };

const KEY = new Uint8Array(32).fill(3);
const files = new Map<string, Uint8Array>();
const store: ObjectStore = { get: async (k) => files.get(k), put: async (k, b) => void files.set(k, typeof b === 'string' ? new TextEncoder().encode(b) : b), putFile: async () => {}, list: async () => [], delete: async (k) => void files.delete(k), locate: (p) => p };
let now = new Date('2026-03-16T02:00:00Z');
const authority = new LocalTokenAuthority(KEY, store, () => now, 0);
const DIRECTOR = { sub: 'u-li', name: '李主任', roles: ['director'], departments: ['D101'] };

const reason = async (authorization: string | undefined): Promise<string> => {
  try {
    await authority.authenticate({ authorization });
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(AuthError);
    return (e as AuthError).reason;
  }
};

describe('local tokens', () => {
  it('carry the principal and are accepted until they expire', async () => {
    const { token, expiresAt } = await authority.issue(DIRECTOR, 3600);
    expect(expiresAt).toBe('2026-03-16T03:00:00.000Z');
    expect(await authority.authenticate({ authorization: `Bearer ${token}` })).toMatchObject({ ...DIRECTOR, tokenId: expect.any(String) });
    now = new Date('2026-03-16T03:00:01Z');
    expect(await reason(`Bearer ${token}`)).toBe('expired');
    now = new Date('2026-03-16T02:00:00Z');
  });

  it('refuses missing, tampered, unsigned, foreign-key, wrong-audience and wrong-issuer tokens', async () => {
    const { token } = await authority.issue(DIRECTOR, 3600);
    expect(await reason(undefined)).toBe('missing');
    expect(await reason(`Basic ${token}`)).toBe('missing');
    // A director who widens their own departments in the payload breaks the signature.
    const [h, , sig] = token.split('.');
    const widened = Buffer.from(JSON.stringify({ ...DIRECTOR, departments: ['D101', 'D102'], iss: 'opsdeck-local', aud: 'opsdeck-api', exp: 1_900_000_000, jti: 'x' })).toString('base64url');
    expect(await reason(`Bearer ${h}.${widened}.${sig}`)).toBe('invalid');
    const claims = { name: 'x', roles: ['analyst'], departments: [] };
    const sign = (key: Uint8Array, iss: string, aud: string) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer(iss).setAudience(aud).setJti('j').setIssuedAt(1_773_000_000).setExpirationTime(1_900_000_000).sign(key);
    expect(await reason(`Bearer ${new UnsecuredJWT(claims).setSubject('x').setIssuer('opsdeck-local').setAudience('opsdeck-api').setJti('j').setExpirationTime(1_900_000_000).encode()}`)).toBe('invalid');
    expect(await reason(`Bearer ${await sign(new Uint8Array(32).fill(9), 'opsdeck-local', 'opsdeck-api')}`)).toBe('invalid');
    expect(await reason(`Bearer ${await sign(KEY, 'opsdeck-local', 'another-api')}`)).toBe('invalid');
    expect(await reason(`Bearer ${await sign(KEY, 'someone-else', 'opsdeck-api')}`)).toBe('invalid');
    expect(await reason(`Bearer ${await sign(KEY, 'opsdeck-local', 'opsdeck-api')}`)).toBe('accepted');
  });

  it('refuses a revoked display token by its id, and only that one', async () => {
    const lobby = await authority.issue({ sub: 'display:lobby', name: '大屏 lobby', roles: ['display'], departments: [], display: 'lobby', tokenId: 'display-lobby-1' }, 86_400);
    const other = await authority.issue({ sub: 'display:president', name: '大屏', roles: ['display'], departments: [], display: 'president' }, 86_400);
    expect(await reason(`Bearer ${lobby.token}`)).toBe('accepted');
    const { revokeToken } = await import('../../functions/adapters/local-tokens.ts');
    await revokeToken(store, 'display-lobby-1', now.toISOString(), 'stolen');
    expect(await reason(`Bearer ${lobby.token}`)).toBe('revoked');
    expect(await reason(`Bearer ${other.token}`)).toBe('accepted');
  });
});

describe('grants from roles', () => {
  const roles = parseRoles(rolesFile, 'data/roles.json');
  it('give each role its own, and the widest of each to someone with several', () => {
    expect(grantsOf({ roles: ['leadership'] }, roles)).toMatchObject({ screens: true, departments: 'all', cases: 'none', export: false });
    expect(grantsOf({ roles: ['director'] }, roles)).toMatchObject({ screens: false, departments: 'own', cases: 'own', actOnAlerts: 'own' });
    expect(grantsOf({ roles: ['display'] }, roles)).toMatchObject({ screens: 'playlist', alerts: 'playlist', displays: 'own', explore: 'none' });
    expect(grantsOf({ roles: ['leadership', 'analyst'] }, roles)).toMatchObject({ cases: 'all', export: true });
    expect(grantsOf({ roles: ['director', 'display'] }, roles)).toMatchObject({ screens: 'playlist', departments: 'own' });
    expect(grantsOf({ roles: ['nobody'] }, roles)).toMatchObject({ screens: false, departments: 'none', audit: false });
    expect(reachesDepartment('own', DIRECTOR, 'D101')).toBe(true);
    expect(reachesDepartment('own', DIRECTOR, 'D102')).toBe(false);
    expect(reachesDepartment('none', DIRECTOR, 'D101')).toBe(false);
  });

  it('are checked when loaded: a role file with a typo names the field', () => {
    expect(() => parseRoles({ version: 1, roles: [{ ...rolesFile.roles[0], grants: { ...rolesFile.roles[0]!.grants, cases: 'some' } }] }, 'config/roles.json')).toThrow(/config\/roles\.json.*roles\.0\.grants\.cases/);
    expect(() => parseRoles({ version: 1, roles: [rolesFile.roles[0], rolesFile.roles[0]] }, 'r.json')).toThrow(/defines role leadership twice/);
  });
});
