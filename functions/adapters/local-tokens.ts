/**
 * Locally signed tokens (the laptop's identity provider, and device tokens for wall displays): HS256 JWTs with the
 * key in `<data folder>/secrets/token-key`, issuer `opsdeck-local`, audience `opsdeck-api`. Verification checks the
 * signature, the algorithm, issuer, audience and expiry, then the revocation list (`config/revoked-tokens.json` in the
 * object store, read at most every 30 s), so a display's token can be withdrawn by its id.
 */
import { randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Principal } from '../domain/roles.ts';
import { AuthError, type Authenticator, type ObjectStore } from '../ports.ts';

export const TOKEN_ISSUER = 'opsdeck-local';
export const TOKEN_AUDIENCE = 'opsdeck-api';
export const REVOKED_KEY = 'config/revoked-tokens.json';

/** The signing key at `path`, created (32 random bytes, owner-only) the first time. */
export function loadOrCreateKey(path: string): Uint8Array {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new Error(`令牌密钥 ${path} 太短（应为 32 字节，base64） / the token key ${path} is too short (32 bytes, base64)`);
  return key;
}

export interface Revocation {
  id: string;
  at: string;
  note?: string;
}

export async function readRevocations(store: ObjectStore): Promise<Revocation[]> {
  const bytes = await store.get(REVOKED_KEY);
  if (!bytes) return [];
  const json = JSON.parse(new TextDecoder().decode(bytes)) as { revoked?: Revocation[] };
  return json.revoked ?? [];
}

/** Adds `id` to the revocation list (idempotent). */
export async function revokeToken(store: ObjectStore, id: string, at: string, note?: string): Promise<Revocation[]> {
  const list = await readRevocations(store);
  if (!list.some((r) => r.id === id)) list.push({ id, at, ...(note ? { note } : {}) });
  await store.put(REVOKED_KEY, JSON.stringify({ revoked: list }, null, 2));
  return list;
}

export class LocalTokenAuthority implements Authenticator {
  private revoked: { until: number; ids: Promise<Set<string>> } | undefined;

  /** The HMAC key imported once (given raw bytes, jose would import them again on every request). */
  private readonly hmac: Promise<webcrypto.CryptoKey>;

  constructor(key: Uint8Array, private readonly store: ObjectStore, private readonly now: () => Date = () => new Date(), private readonly revocationCacheMs = 30_000) {
    this.hmac = webcrypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /** A signed token for `principal`, valid `ttlSeconds`; its id is `principal.tokenId` or a new one. */
  async issue(principal: Principal, ttlSeconds: number): Promise<{ token: string; id: string; expiresAt: string }> {
    const id = principal.tokenId ?? randomUUID();
    const iat = Math.floor(this.now().getTime() / 1000);
    const token = await new SignJWT({ name: principal.name, roles: principal.roles, departments: principal.departments, ...(principal.display ? { display: principal.display } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.sub).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setJti(id)
      .setIssuedAt(iat).setExpirationTime(iat + ttlSeconds)
      .sign(await this.hmac);
    return { token, id, expiresAt: new Date((iat + ttlSeconds) * 1000).toISOString() };
  }

  private revokedIds(): Promise<Set<string>> {
    const t = Date.now();
    if (!this.revoked || this.revoked.until <= t) {
      const ids = readRevocations(this.store).then((l) => new Set(l.map((r) => r.id)));
      this.revoked = { until: t + this.revocationCacheMs, ids };
      ids.catch(() => (this.revoked = undefined));
    }
    return this.revoked.ids;
  }

  async authenticate({ authorization }: { authorization?: string }): Promise<Principal> {
    const m = /^Bearer\s+([A-Za-z0-9._-]+)$/.exec(authorization ?? '');
    if (!m) throw new AuthError('missing', 'no bearer token');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(m[1]!, await this.hmac, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['HS256'], currentDate: this.now(), requiredClaims: ['sub', 'exp', 'jti'] }));
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new AuthError('expired', 'token expired');
      throw new AuthError('invalid', e instanceof Error ? e.message : 'invalid token');
    }
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    const principal: Principal = {
      sub: String(payload.sub), name: typeof payload.name === 'string' ? payload.name : String(payload.sub),
      roles: strings(payload.roles), departments: strings(payload.departments), tokenId: String(payload.jti),
      ...(typeof payload.display === 'string' ? { display: payload.display } : {}),
    };
    if ((await this.revokedIds()).has(principal.tokenId!)) throw new AuthError('revoked', `token ${principal.tokenId} revoked`);
    return principal;
  }
}
