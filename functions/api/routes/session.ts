/** Who is asking: health, the local demo sign-in, the principal's own grants, the KPI catalogue and the audit log. */
import { z } from 'zod';
import { isIsoDate, toDayNumber } from '../../domain/calendar.ts';
import { KPIS } from '../../domain/kpis/catalog.ts';
import { kpiDefinition } from '../../domain/kpis/model.ts';
import { badRequest, notAllowed, notFound } from '../../domain/user-error.ts';
import type { AuditResponse, CatalogResponse, DemoUsersResponse, HealthResponse, MeResponse, SignInResponse } from '../contract.ts';
import { checked, type ApiApp, type RouteContext } from './context.ts';

const auditQuery = z.object({ from: z.string().refine(isIsoDate), to: z.string().refine(isIsoDate) });
const signIn = z.object({ user: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) });
/** The catalogue the API serves: the KPI records as definitions, built once (they are constants). */
const CATALOG: CatalogResponse = { kpis: KPIS.map(kpiDefinition) };
const noDemo = () => notFound('not_found', '此部署不提供演示登录', 'This deployment offers no demo sign-in');

export function sessionRoutes(app: ApiApp, { deps, now }: RouteContext): void {
  const access = deps.access;
  app.get('/api/health', (c) => c.json({ status: 'ok', servedAt: now(), version: deps.version } satisfies HealthResponse));

  app.get('/api/auth/demo-users', (c) => {
    if (!access.demo) throw noDemo();
    const body: DemoUsersResponse = {
      users: access.demo.users.map((u) => ({ id: u.id, name: u.name, zh: u.zh, en: u.en, roles: u.roles, departments: u.departments })),
      roles: access.roles.map((r) => ({ id: r.id, zh: r.zh, en: r.en, home: r.home })),
    };
    return c.json(body);
  });

  app.post('/api/auth/demo-signin', async (c) => {
    const demo = access.demo;
    if (!demo) throw noDemo();
    const parsed = signIn.safeParse(await c.req.json().catch(() => undefined));
    const user = parsed.success ? demo.users.find((u) => u.id === parsed.data.user) : undefined;
    if (!user) throw badRequest('请求体应为 {"user": 演示用户编号}', 'The body must be {"user": a demo user id}', 'bad_body');
    const principal = { sub: user.id, name: user.name, roles: user.roles, departments: user.departments };
    const { token, expiresAt } = await demo.issue(principal);
    return c.json({ token, expiresAt, principal } satisfies SignInResponse);
  });

  app.get('/api/me', (c) => {
    const p = c.get('principal');
    const roles = access.roles.filter((r) => p.roles.includes(r.id));
    c.header('Cache-Control', 'no-store');
    return c.json({ principal: p, grants: c.get('grants'), roles: roles.map((r) => ({ id: r.id, zh: r.zh, en: r.en, home: r.home })) } satisfies MeResponse);
  });

  app.get('/api/audit', async (c) => {
    if (!c.get('grants').audit) throw notAllowed('审计日志仅管理员可查看', 'the audit log is for administrators');
    const bad = ['参数错误：from、to 为 YYYY-MM-DD，from ≤ to，跨度不超过 93 天', 'Bad query: from and to are dates YYYY-MM-DD, from ≤ to, at most 93 days'] as const;
    const q = checked(auditQuery, c.req.query(), ...bad);
    if (q.from > q.to || toDayNumber(q.to) - toDayNumber(q.from) > 92) throw badRequest(...bad);
    const entries = await access.audit.list(q.from, q.to);
    c.header('Cache-Control', 'no-store');
    return c.json({ from: q.from, to: q.to, entries: entries.reverse() } satisfies AuditResponse);
  });

  app.get('/api/catalog', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(CATALOG);
  });
}
