/**
 * The alert list (what a ticker, the alerts board and a director's tablet read; a wall's view never names a patient or
 * case) and a person's acknowledgement or resolution.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OWNER_NAMES } from '../../domain/alerts.ts';
import { notAllowed, notConfigured, notFound, UserError } from '../../domain/user-error.ts';
import type { AlertFilter, AlertRecord } from '../../ports.ts';
import { actOnAlert } from '../alert-actions.ts';
import { wallAlert } from '../alert-view.ts';
import type { AlertsResponse } from '../contract.ts';
import { checked, type ApiApp, type RouteContext } from './context.ts';

const alertsQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  severity: z.enum(['P1', 'P2', 'P3']).optional(),
  owner: z.string().regex(/^[a-z_]{1,40}$/).optional(),
  department: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
  rule: z.string().regex(/^[a-z0-9_]{1,60}$/).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  /** `wall`: the list as a wall shows it (no patient or case identifiers), whoever is signed in on the screen. */
  view: z.enum(['wall']).optional(),
});
const alertAction = z.object({ by: z.string().trim().max(80).optional(), note: z.string().trim().max(500).optional(), version: z.number().int().min(1) });
const SEVERITY_ORDER = { P1: 0, P2: 1, P3: 2 } as const;
const STATE_ORDER = { open: 0, acknowledged: 1, resolved: 2 } as const;
const noStore = () => notConfigured('此部署未配置预警存储', 'Alert storage is not configured in this deployment');

/** Open first, then by severity, then the newest night first: what a ticker and a duty officer read first. */
const byUrgency = (a: AlertRecord, b: AlertRecord): number =>
  STATE_ORDER[a.state] - STATE_ORDER[b.state] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.id < b.id ? -1 : 1);

export function alertRoutes(app: ApiApp, { deps, caches, now }: RouteContext): void {
  app.get('/api/alerts', async (c) => {
    const store = deps.alerts;
    const rules = deps.alertRules;
    if (!store || !rules) throw noStore();
    const q = checked(alertsQuery, c.req.query(), '参数错误：state 为 open/acknowledged/resolved，severity 为 P1/P2/P3，owner、department、rule 为编码',
      'Bad query: state open|acknowledged|resolved, severity P1|P2|P3, owner, department and rule are codes');
    const grants = c.get('grants');
    const principal = c.get('principal');
    // A display reads the list whatever its playlist (every wall screen has a ticker), always redacted; a wall screen
    // opened by a person asks for the same view, so no wall shows a patient or case identifier.
    if (grants.alerts === 'none') throw notAllowed('预警列表不在您的授权范围内', 'the alert list is outside your scope');
    const forWall = grants.alerts === 'playlist' || q.view === 'wall';
    if (grants.alerts === 'own' && q.department !== undefined && !principal.departments.includes(q.department)) {
      throw notAllowed(`科室 ${q.department} 不在您的授权范围内`, `department ${q.department} is outside your scope`);
    }
    const filter: AlertFilter = { ...(q.state ? { state: q.state } : {}), ...(q.severity ? { severity: q.severity } : {}), ...(q.owner ? { owner: q.owner } : {}), ...(q.department ? { departmentId: q.department } : {}), ...(q.rule ? { ruleId: q.rule } : {}) };
    // A director sees the alerts of their departments only.
    const own = grants.alerts === 'own' ? principal.departments : null;
    const { etag, body } = await caches.alertLists.get(JSON.stringify([filter, own, q.limit, forWall]), async () => {
      const listed = await store.list(filter);
      const scoped = own ? listed.filter((a) => !!a.departmentId && own.includes(a.departmentId)) : listed;
      const all = (forWall ? scoped.map((a) => wallAlert(a, rules)) : scoped).sort(byUrgency);
      const view: Omit<AlertsResponse, 'servedAt'> = {
        total: all.length, alerts: all.slice(0, q.limit),
        counts: {
          severity: { P1: all.filter((a) => a.severity === 'P1').length, P2: all.filter((a) => a.severity === 'P2').length, P3: all.filter((a) => a.severity === 'P3').length },
          owner: all.reduce<Record<string, number>>((m, a) => ((m[a.owner] = (m[a.owner] ?? 0) + 1), m), {}),
        },
        rules: rules.map((r) => ({ id: r.id, zh: r.zh, en: r.en, owner: r.owner, severity: r.severity, nature: r.nature, enabled: r.enabled, logicZh: r.logicZh, logicEn: r.logicEn, basis: r.basis, params: r.params })),
        owners: OWNER_NAMES,
      };
      // Revalidation: the list's state without the serving time, so an unchanged list answers 304.
      return { etag: `"alerts-${createHash('sha1').update(JSON.stringify(view)).digest('base64url').slice(0, 22)}"`, body: view };
    });
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    return c.json({ servedAt: now(), ...body } satisfies AlertsResponse);
  });

  app.post('/api/alerts/:id/:action{ack|resolve}', async (c) => {
    const store = deps.alerts;
    if (!store) throw noStore();
    const { note, version } = checked(alertAction, await c.req.json().catch(() => undefined), '请求体应为 {"note": 说明（可选）, "version": 当前版本号}',
      'The body must be {"note": optional note, "version": the version you saw}', 'bad_body');
    const id = c.req.param('id');
    const level = c.get('grants').actOnAlerts;
    const principal = c.get('principal');
    if (level === 'none') throw notAllowed('处理预警仅科室主任与运营分析可用', 'acting on alerts is for directors and analysts');
    if (level === 'own') {
      const alert = await store.get(id);
      if (alert && !(alert.departmentId && principal.departments.includes(alert.departmentId))) throw notAllowed(`预警 ${id} 不属于您负责的科室`, `alert ${id} is not of your departments`);
    }
    // The record names who acted as the sign-in says, not as typed.
    const r = await actOnAlert(store, id, c.req.param('action') === 'ack' ? 'acknowledge' : 'resolve', principal.name, note, version, now()).finally(() => caches.alertLists.clear());
    if ('error' in r) {
      throw r.error === 'not_found'
        ? notFound('not_found', `没有这条预警：${id}`, `No such alert: ${id}`)
        : new UserError(409, 'bad_state', `预警 ${id} 当前状态不允许此操作`, `Alert ${id} is not in a state that allows this`);
    }
    return c.json(r);
  });
}
