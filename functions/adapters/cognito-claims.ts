/**
 * The principal on AWS: API Gateway's JWT authorizer has already checked the Cognito ID token's signature, issuer,
 * audience and expiry before the request reaches the function; this reads the verified claims it passes along —
 * `cognito:groups` (the roles), `custom:departments` (a director's departments, comma-separated) and `custom:display`
 * (a wall display device's display). A request without verified claims is refused.
 */
import type { Principal } from '../domain/roles.ts';
import { AuthError, type Authenticator } from '../ports.ts';

/** HTTP API passes array claims as the text `[a b]`; other callers pass arrays. */
function list(v: unknown, separator: RegExp): string[] {
  if (Array.isArray(v)) return v.map(String).filter(Boolean);
  if (typeof v !== 'string') return [];
  return v.replace(/^\[|\]$/g, '').split(separator).map((s) => s.trim()).filter(Boolean);
}

export class CognitoClaimsAuthenticator implements Authenticator {
  async authenticate({ claims }: { claims?: Record<string, unknown> }): Promise<Principal> {
    if (!claims || typeof claims.sub !== 'string') throw new AuthError('missing', 'no verified claims from the authorizer');
    if (claims.token_use !== undefined && claims.token_use !== 'id') throw new AuthError('invalid', 'an ID token is needed (its custom attributes carry the scope)');
    const display = typeof claims['custom:display'] === 'string' && claims['custom:display'] ? claims['custom:display'] : undefined;
    return {
      sub: claims.sub,
      name: String(claims.name ?? claims.email ?? claims['cognito:username'] ?? claims.sub),
      roles: list(claims['cognito:groups'], /[\s,]+/),
      departments: list(claims['custom:departments'], /,/),
      ...(display ? { display } : {}),
    };
  }
}
