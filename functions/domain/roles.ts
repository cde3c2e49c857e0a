/**
 * Roles as data (data/roles.json, replaced whole by the hospital's `config/roles.json`): what each role may see and do,
 * and how far — every department ("all"), the person's own departments ("own"), a display's own playlist
 * ("playlist"), or nothing. A person with several roles gets the widest grant of each. The API decides every request
 * from these grants and the signed-in principal (functions/api/auth.ts); the web only follows.
 */
import { z } from 'zod';
import { zodProblems } from './config-errors.ts';

export const SCOPE_LEVELS = ['none', 'own', 'playlist', 'all'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

const level = z.enum(SCOPE_LEVELS);
const grantsSchema = z.strictObject({
  /** The hospital walls' snapshots (campus, DRG, budget and its lines). */
  screens: z.union([z.boolean(), z.literal('playlist')]),
  /** A department's view (the director's tablet). */
  departments: level,
  /** The alert list. */
  alerts: level,
  /** Acknowledge or resolve alerts. */
  actOnAlerts: level,
  /** The explorers' aggregate levels (groups, departments, doctor groups). */
  explore: level,
  /** Case-level rows (every such request is audited). */
  cases: level,
  /** CSV and spreadsheet exports (audited). */
  export: z.boolean(),
  /** The data-quality summary. */
  quality: z.boolean(),
  /** Rejected rows as delivered, with their raw records (audited). */
  rejects: z.boolean(),
  /** Wall display playlists. */
  displays: level,
  /** The audit log. */
  audit: z.boolean(),
});
export type Grants = z.infer<typeof grantsSchema>;

const roleSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z_]{1,30}$/),
  zh: z.string().min(1),
  en: z.string().min(1),
  /** Where the role lands after signing in. */
  home: z.string().startsWith('/'),
  grants: grantsSchema,
});
export type RoleSpec = z.infer<typeof roleSchema>;

const rolesFile = z.strictObject({ version: z.literal(1), roles: z.array(roleSchema).min(1) });

export function parseRoles(json: unknown, source: string): RoleSpec[] {
  const r = rolesFile.safeParse(json);
  if (!r.success) throw new Error(`角色配置 ${source} 有误 / the roles file ${source} is invalid: ${zodProblems(r.error)}`);
  const ids = r.data.roles.map((x) => x.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new Error(`角色配置 ${source} 中角色 ${dup} 重复 / the roles file ${source} defines role ${dup} twice`);
  return r.data.roles;
}

/** Who is asking: a person (from the sign-in) or a wall display device. */
export interface Principal {
  /** Stable id: the user's id, or `display:<id>` for a device. */
  sub: string;
  name: string;
  roles: string[];
  /** The departments a director answers for. */
  departments: string[];
  /** The display a device token is bound to. */
  display?: string;
  /** The token's id (revocable for devices). */
  tokenId?: string;
}

const RANK: Record<ScopeLevel, number> = { none: 0, own: 1, playlist: 1, all: 2 };
const wider = (a: ScopeLevel, b: ScopeLevel): ScopeLevel => (RANK[b] > RANK[a] ? b : a);

/** The principal's grants: the widest of each across its roles (unknown roles grant nothing). */
export function grantsOf(principal: Pick<Principal, 'roles'>, roles: readonly RoleSpec[]): Grants {
  const g: Grants = { screens: false, departments: 'none', alerts: 'none', actOnAlerts: 'none', explore: 'none', cases: 'none', export: false, quality: false, rejects: false, displays: 'none', audit: false };
  for (const id of principal.roles) {
    const r = roles.find((x) => x.id === id)?.grants;
    if (!r) continue;
    g.screens = g.screens === true || r.screens === true ? true : g.screens || r.screens;
    for (const k of ['departments', 'alerts', 'actOnAlerts', 'explore', 'cases', 'displays'] as const) g[k] = wider(g[k], r[k]);
    for (const k of ['export', 'quality', 'rejects', 'audit'] as const) g[k] = g[k] || r[k];
  }
  return g;
}

/** Whether `level` lets the principal reach department `id` ("own": one of its departments). */
export function reachesDepartment(level: ScopeLevel, principal: Pick<Principal, 'departments'>, id: string): boolean {
  return level === 'all' || (level === 'own' && principal.departments.includes(id));
}
