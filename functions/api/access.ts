/**
 * Access control for the hono app: every route but health and the sign-in needs a principal (a locally signed token,
 * or on AWS the claims API Gateway's JWT authorizer verified), and each route asks the principal's grants
 * (domain/roles.ts) whether it may answer — and how far: a director's department, a display's playlist. Refusals are
 * 401 (who are you?) or 403 (not for you), with zh-CN and English bodies, before any query runs. Case-level answers and
 * exports leave an audit record.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { DisplayConfig } from '../domain/displays.ts';
import { grantsOf, type Grants, type Principal, type RoleSpec } from '../domain/roles.ts';
import { AuthError, type AuditLog, type Authenticator, type AuthFailure } from '../ports.ts';
import type { ApiError } from './contract.ts';

export interface DemoUser {
  id: string;
  name: string;
  roles: string[];
  departments: string[];
  /** What the sign-in page says about the user. */
  zh: string;
  en: string;
}

export interface AccessDeps {
  authenticator: Authenticator;
  roles: readonly RoleSpec[];
  /** Where case-level looks and exports are recorded (and what an administrator reads). */
  audit: AuditLog;
  /** Local runs only: the demo users the sign-in page offers, and the authority that signs their tokens. */
  demo?: { users: readonly DemoUser[]; issue: (p: Principal) => Promise<{ token: string; expiresAt: string }> };
}

export type AccessVars = { principal: Principal; grants: Grants };
export type AccessContext = Context<{ Variables: AccessVars }>;

const UNAUTHENTICATED: Record<AuthFailure, { zh: string; en: string }> = {
  missing: { zh: '请先登录：此请求没有令牌', en: 'Sign in first: this request carries no token' },
  invalid: { zh: '令牌无效（签名、签发者、受众或格式不符），请重新登录', en: 'The token is not valid (signature, issuer, audience or format): sign in again' },
  expired: { zh: '令牌已过期，请重新登录', en: 'The token has expired: sign in again' },
  revoked: { zh: '此令牌已被吊销；大屏设备请向管理员申领新令牌', en: 'This token has been revoked; for a wall display, ask an administrator for a new one' },
};

export function unauthenticated(c: Context, reason: AuthFailure) {
  c.header('WWW-Authenticate', `Bearer realm="opsdeck", error="${reason === 'missing' ? 'invalid_request' : 'invalid_token'}"`);
  const body: ApiError = { error: { code: `unauthenticated_${reason}`, ...UNAUTHENTICATED[reason] } };
  return c.json(body, 401);
}

export function forbidden(c: Context, zh: string, en: string) {
  const body: ApiError = { error: { code: 'forbidden', zh: `无权访问：${zh}`, en: `Not allowed: ${en}` } };
  return c.json(body, 403);
}

/** Paths anyone may call: the health check and the (local) sign-in. */
const OPEN = new Set(['/api/health', '/api/auth/demo-users', '/api/auth/demo-signin']);

/** The claims API Gateway's JWT authorizer verified, when running in Lambda behind it. */
function lambdaClaims(c: Context): Record<string, unknown> | undefined {
  const env = c.env as { event?: { requestContext?: { authorizer?: { jwt?: { claims?: Record<string, unknown> } } } } } | undefined;
  return env?.event?.requestContext?.authorizer?.jwt?.claims;
}

/** Sets the principal and its grants on every non-open API request, or answers 401. */
export function authenticate(deps: AccessDeps): MiddlewareHandler<{ Variables: AccessVars }> {
  return async (c, next) => {
    if (OPEN.has(c.req.path)) return next();
    let principal: Principal;
    try {
      principal = await deps.authenticator.authenticate({ authorization: c.req.header('Authorization'), claims: lambdaClaims(c) });
    } catch (e) {
      if (e instanceof AuthError) return unauthenticated(c, e.reason);
      throw e;
    }
    c.set('principal', principal);
    c.set('grants', grantsOf(principal, deps.roles));
    return next();
  };
}

/** Whether a display's playlist shows `screen` for `scope` (the hospital when a slide names none). */
export function playlistShows(display: DisplayConfig | undefined, screen: string, scope?: string): boolean {
  return !!display?.slides.some((s) => s.screen === screen && (scope === undefined || (s.scope ?? 'hospital') === scope));
}

/** Records a case-level look or an export. */
export async function audit(deps: AccessDeps, c: AccessContext, action: string, scope: string, rows: number, at: string): Promise<void> {
  const p = c.get('principal');
  await deps.audit.record({ at, who: p.sub, name: p.name, role: p.roles.join(','), action, scope, query: new URL(c.req.url).search.slice(1), rows });
}
