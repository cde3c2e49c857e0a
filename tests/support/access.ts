/** Tokens for tests, signed by the runtime's own authority (the same one the local server verifies with). */
import { LocalTokenAuthority } from '../../functions/adapters/local-tokens.ts';
import type { AccessDeps } from '../../functions/api/access.ts';
import type { LocalRuntime } from '../../functions/local/runtime.ts';
import { parseRoles, type Principal } from '../../functions/domain/roles.ts';
import type { AuditEntry, ObjectStore } from '../../functions/ports.ts';
import rolesFile from '../../data/roles.json' with { type: 'json' };

/** Someone holding every hospital-wide role: the existing feature tests read and act as staff. */
export const STAFF: Principal = { sub: 'test-staff', name: '测试 运营部', roles: ['leadership', 'analyst', 'admin'], departments: [] };

export async function tokenFor(rt: Pick<LocalRuntime, 'tokens'>, principal: Partial<Principal> & { roles: string[] }, ttlSeconds = 3600): Promise<string> {
  const p: Principal = { sub: principal.sub ?? `test-${principal.roles.join('-')}`, name: principal.name ?? principal.roles.join('+'), departments: principal.departments ?? [], ...principal };
  return (await rt.tokens.issue(p, ttlSeconds)).token;
}

/** `init` with an Authorization header carrying `token`. */
export function withToken(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` } };
}

/** Access for unit tests of the app without a runtime: the real token authority and shipped roles, an audit log in memory. */
export function testAccess(): { access: AccessDeps; audited: AuditEntry[]; token: (p: Partial<Principal> & { roles: string[] }) => Promise<string> } {
  const none: ObjectStore = { get: async () => undefined, put: async () => {}, putFile: async () => {}, list: async () => [], delete: async () => {}, locate: (p) => p };
  const tokens = new LocalTokenAuthority(new Uint8Array(32).fill(7), none);
  const audited: AuditEntry[] = [];
  const access: AccessDeps = {
    authenticator: tokens,
    roles: parseRoles(rolesFile, 'data/roles.json'),
    audit: { record: async (e) => void audited.push(e), list: async (from, to) => audited.filter((e) => e.at.slice(0, 10) >= from && e.at.slice(0, 10) <= to) },
  };
  return { access, audited, token: (p) => tokenFor({ tokens }, p) };
}
