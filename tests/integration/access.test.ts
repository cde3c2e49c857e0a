/**
 * Access control on the demo hospital: every role × every route × an entity in and out of its scope, allowed or
 * denied as data/roles.json says; a director reaching for a peer department through every parameter, denied with no
 * query run and no snapshot read; and the audit records a session leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import type { AlertsResponse, AuditResponse, DrgExploreResponse } from '../../functions/api/contract.ts';
import type { QueryEngine, SnapshotStore } from '../../functions/ports.ts';
import { DEMO_END, demoRuntime } from '../support/demo-runtime.ts';
import { tokenFor, withToken } from '../support/access.ts';

let ctx: Awaited<ReturnType<typeof demoRuntime>>;
let app: ReturnType<typeof createApp>;
const counts = { queries: 0, snapshotReads: 0 };
const statements: { sql: string; params: readonly unknown[] }[] = [];
const tokens: Record<string, string> = {};
let d101Alert: string;
let d102Alert: string;

const PRINCIPALS = {
  leader: { sub: 'u-leader', name: '张院长', roles: ['leadership'] },
  director: { sub: 'u-li', name: '李主任', roles: ['director'], departments: ['D101'] },
  analyst: { sub: 'u-zhao', name: '赵分析', roles: ['analyst'] },
  display: { sub: 'display:lobby', name: '大屏 lobby', roles: ['display'], display: 'lobby' },
  president: { sub: 'display:president', name: '大屏 president', roles: ['display'], display: 'president' },
  admin: { sub: 'u-zhou', name: '周工程师', roles: ['admin'] },
} as const;
type Who = keyof typeof PRINCIPALS;
const EVERYONE: Who[] = ['leader', 'director', 'analyst', 'display', 'admin'];

beforeAll(async () => {
  ctx = await demoRuntime();
  // Count what runs: a denied request must not reach the engine or the snapshot store.
  const engine: QueryEngine = { query: (sql, o) => (counts.queries++, statements.push({ sql, params: o?.params ?? [] }), ctx.rt.engine.query(sql, o)), close: async () => {} };
  const s = ctx.rt.snapshots;
  const snapshots: SnapshotStore = { put: (x) => s.put(x), get: (...a) => (counts.snapshotReads++, s.get(...a)), latest: (...a) => (counts.snapshotReads++, s.latest(...a)), listAsOf: (...a) => (counts.snapshotReads++, s.listAsOf(...a)) };
  app = createApp({ snapshots, store: ctx.rt.store, engine, drgRules: ctx.rt.drgRules, alerts: ctx.rt.alerts, alertRules: ctx.rt.alertRules, displays: ctx.rt.displays, timeZone: ctx.rt.timeZone, clock: ctx.rt.clock, version: 't', access: ctx.rt.access });
  for (const [k, p] of Object.entries(PRINCIPALS)) tokens[k] = await tokenFor(ctx.rt, p as never);
  const all = (await (await app.request('/api/alerts?limit=2000', withToken(tokens.analyst!))).json()) as AlertsResponse;
  d101Alert = all.alerts.find((a) => a.departmentId === 'D101')!.id;
  d102Alert = all.alerts.find((a) => a.departmentId === 'D102')!.id;
});
afterAll(() => ctx.dispose());

const ask = (who: Who | null, path: string, init: RequestInit = {}) => app.request(path, who ? withToken(tokens[who]!, init) : init);
const ack = (id: string) => ({ path: `/api/alerts/${encodeURIComponent(id)}/ack`, init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ note: 'matrix', version: 999_999 }) } });

describe('role × route matrix', () => {
  it('allows and denies exactly as the roles say, and refuses everything without a token but health', async () => {
    const range = `from=2026-03-01&to=${DEMO_END}`;
    const routes: { path: string; init?: RequestInit; allowed: Who[] }[] = [
      { path: '/api/me', allowed: EVERYONE },
      { path: '/api/catalog', allowed: EVERYONE },
      { path: '/api/screens/campus?scope=hospital', allowed: ['leader', 'analyst', 'display'] },
      { path: '/api/screens/campus?scope=C02', allowed: ['leader', 'analyst', 'display'] },
      { path: '/api/screens/drg?scope=C02', allowed: ['leader', 'analyst'] }, // the lobby shows DRG for the hospital only
      { path: '/api/screens/budget', allowed: ['leader', 'analyst', 'display'] },
      { path: '/api/screens/budget-lines', allowed: ['leader', 'analyst'] },
      { path: '/api/departments/D101', allowed: ['leader', 'director', 'analyst'] },
      { path: '/api/departments/D102', allowed: ['leader', 'analyst'] },
      { path: '/api/displays', allowed: ['leader', 'analyst', 'display', 'admin'] },
      { path: '/api/displays/lobby', allowed: ['leader', 'analyst', 'display', 'admin'] },
      { path: '/api/displays/president', allowed: ['leader', 'analyst', 'admin'] },
      { path: `/api/explore/drg?level=group&${range}&department=D101`, allowed: ['leader', 'director', 'analyst'] },
      { path: `/api/explore/drg?level=group&${range}&department=D102`, allowed: ['leader', 'analyst'] },
      { path: `/api/explore/drg?level=case&${range}&department=D101`, allowed: ['director', 'analyst'] },
      { path: `/api/explore/drg?level=case&${range}&department=D102`, allowed: ['analyst'] },
      { path: `/api/explore/drg?level=group&${range}&format=csv`, allowed: ['analyst'] },
      { path: '/api/explore?kpi=medical_revenue&dim=ward&period=month&department=D101', allowed: ['leader', 'director', 'analyst'] },
      { path: '/api/explore?kpi=medical_revenue&dim=ward&period=month&department=D102', allowed: ['leader', 'analyst'] },
      { path: '/api/explore/detail?kpi=discharges&period=month&department=D101', allowed: ['director', 'analyst'] },
      { path: '/api/explore?kpi=medical_revenue&dim=department&period=month&format=xlsx', allowed: ['analyst'] },
      { path: `/api/explore/charges?by=item&to=${DEMO_END}&department=D101`, allowed: ['director', 'analyst'] },
      { path: `/api/explore/charges?by=item&to=${DEMO_END}&department=D102`, allowed: ['analyst'] },
      { path: `/api/explore/charges?by=lines&to=${DEMO_END}&department=D101&format=csv`, allowed: ['analyst'] },
      { path: '/api/quality', allowed: ['leader', 'analyst', 'admin'] },
      { path: `/api/quality/rejects?table=charge_lines&date=${DEMO_END}`, allowed: ['analyst', 'admin'] },
      { path: '/api/alerts', allowed: ['leader', 'director', 'analyst', 'display'] },
      { path: '/api/alerts?department=D102', allowed: ['leader', 'analyst', 'display'] },
      { path: `/api/audit?from=${DEMO_END}&to=${DEMO_END}`, allowed: ['admin'] },
    ];
    routes.push({ ...ack(d101Alert), allowed: ['director', 'analyst'] }, { ...ack(d102Alert), allowed: ['analyst'] });
    const wrong: string[] = [];
    let cells = 0;
    for (const r of routes) {
      const anonymous = await ask(null, r.path, r.init);
      cells++;
      if (anonymous.status !== 401) wrong.push(`anonymous ${r.path}: ${anonymous.status}`);
      for (const who of EVERYONE) {
        const res = await ask(who, r.path, r.init);
        cells++;
        const allowed = res.status !== 401 && res.status !== 403;
        if (allowed !== r.allowed.includes(who)) wrong.push(`${who} ${r.init?.method ?? 'GET'} ${r.path}: ${res.status}`);
        if (res.status === 403) expect(((await res.json()) as { error: { code: string; zh: string; en: string } }).error).toMatchObject({ code: 'forbidden', zh: expect.stringMatching(/^无权访问：/), en: expect.stringMatching(/^Not allowed: /) });
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBe(routes.length * 6);
    expect(routes.length).toBe(31);
    expect((await ask(null, '/api/health')).status).toBe(200);
    // The matrix acted on no alert: the acknowledgements it was allowed met a stale version.
    expect((await ctx.rt.alerts.get(d101Alert))!.state).toBe('open');
  });

  it('says why a request has no principal, in both languages', async () => {
    const none = await ask(null, '/api/me');
    expect(none.headers.get('WWW-Authenticate')).toContain('Bearer');
    expect(await none.json()).toEqual({ error: { code: 'unauthenticated_missing', zh: '请先登录：此请求没有令牌', en: 'Sign in first: this request carries no token' } });
    const expired = await tokenFor(ctx.rt, { roles: ['analyst'] }, -60);
    expect(((await (await app.request('/api/me', withToken(expired))).json()) as { error: { code: string } }).error.code).toBe('unauthenticated_expired');
    const forged = `${tokens.director!.split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`;
    expect(((await (await app.request('/api/me', withToken(forged))).json()) as { error: { code: string } }).error.code).toBe('unauthenticated_invalid');
  });
});

describe('a director reaching for a peer department', () => {
  it('is denied through every parameter, with no query run and no snapshot read', async () => {
    const range = `from=2026-03-01&to=${DEMO_END}`;
    const attempts = [
      '/api/departments/D102', // path
      '/api/alerts?department=D102', // query
      `/api/explore/drg?level=department&${range}&department=D102`, // filter
      `/api/explore/drg?level=doctor_group&${range}&department=D102`, // drill path
      `/api/explore/drg?level=case&${range}&department=D102`, // drill to cases
      `/api/explore/drg?level=case&${range}&department=D102&format=csv`, // export
      `/api/explore/drg?level=case&${range}&department=D101&format=csv`, // export, even of their own: directors do not export
      '/api/explore?kpi=medical_revenue&dim=ward&department=D102', // the KPI explorer, by filter
      '/api/explore/detail?kpi=discharges&department=D102', // the rows behind a peer's figure
      `/api/explore/charges?by=lines&to=${DEMO_END}&department=D102`, // a peer's charge lines
      '/api/screens/budget-lines', // every department's budget lines
      '/api/screens/campus?scope=hospital', // the hospital's walls
    ];
    const before = { ...counts };
    for (const path of attempts) {
      const res = await ask('director', path);
      expect(res.status, path).toBe(403);
    }
    const peerAck = ack(d102Alert);
    expect((await ask('director', peerAck.path, peerAck.init)).status).toBe(403);
    // A director of two departments must name which; one they do not lead is refused.
    const two = await tokenFor(ctx.rt, { sub: 'u-wang', name: '王主任', roles: ['director'], departments: ['D102', 'D103'] });
    expect((await app.request(`/api/explore/drg?level=group&${range}`, withToken(two))).status).toBe(403);
    expect((await app.request(`/api/explore/drg?level=group&${range}&department=D101`, withToken(two))).status).toBe(403);
    expect((await app.request('/api/explore?kpi=medical_revenue&dim=ward', withToken(two))).status).toBe(403);
    expect((await app.request('/api/explore?kpi=medical_revenue&dim=ward&department=D101', withToken(two))).status).toBe(403);
    expect(counts).toEqual(before);
  });

  it('sees their own department\'s cases (the scope is the query\'s bound parameter) and only their alerts', async () => {
    statements.length = 0;
    const own = (await (await ask('director', `/api/explore/drg?level=case&from=2026-03-01&to=${DEMO_END}&limit=30`)).json()) as DrgExploreResponse;
    expect(own.filters).toEqual({ department: 'D101' });
    // The cases were selected by the query with the department as a bound value, not filtered afterwards.
    const read = statements.filter((x) => /FROM \{\{inpatient_cases\}\}/.test(x.sql));
    expect(read.map((x) => [/department_id = \?/.test(x.sql), x.params])).toEqual([[true, ['2026-03-01', DEMO_END, 'D101']]]);
    expect(own.cases.length).toBeGreaterThan(0);
    expect(own.cases.every((c) => c.departmentId === 'D101')).toBe(true);
    const alerts = (await (await ask('director', '/api/alerts')).json()) as AlertsResponse;
    expect(alerts.alerts.length).toBeGreaterThan(0);
    expect(alerts.alerts.every((a) => a.departmentId === 'D101')).toBe(true);
  });
});

describe('alerts on public walls', () => {
  it('every display gets the open alerts for its ticker, with no patient or case identifier anywhere in the answer', async () => {
    const staff = (await (await ask('analyst', '/api/alerts?limit=2000')).json()) as AlertsResponse;
    // The identifiers the staff view holds: every patient and case an alert is about, from the lake.
    const { rows } = await ctx.rt.engine.query('SELECT DISTINCT case_id, patient_id FROM {{inpatient_cases}}');
    const ids = new Set(rows.flatMap((r) => [String(r.case_id), String(r.patient_id)]));
    const { rows: charged } = await ctx.rt.engine.query('SELECT DISTINCT patient_id FROM {{charge_lines}}');
    for (const r of charged) ids.add(String(r.patient_id));
    const named = staff.alerts.filter((a) => [...ids].some((id) => `${a.zh} ${a.en} ${a.entity}`.includes(id)));
    expect(named.length, 'the demo has patient-level alerts to hide').toBeGreaterThan(0);
    // The president's playlist has no alerts slide, but its screens have tickers: it gets the list, redacted like the lobby's.
    // The displays always, and a wall opened by a person (view=wall, what the ticker and the alerts board ask for).
    for (const [who, path] of [['display', '/api/alerts?limit=2000'], ['president', '/api/alerts?limit=2000'], ['analyst', '/api/alerts?limit=2000&view=wall'], ['leader', '/api/alerts?limit=2000&view=wall']] as const) {
      const res = await ask(who, path);
      expect(res.status, who).toBe(200);
      const text = await res.text();
      const wall = JSON.parse(text) as AlertsResponse;
      expect(wall.total, who).toBe(staff.total);
      const leaked = [...ids].filter((id) => id.length >= 4 && text.includes(id));
      expect(leaked, `${who} received identifiers`).toEqual([]);
      expect(wall.alerts.every((a) => a.evidence && Object.keys(a.evidence).length === 0 && a.link === null && a.history.length === 0), who).toBe(true);
    }
    // The redacted texts still say what happened: a low-risk death names its group and department, not the case.
    const wall = (await (await ask('display', '/api/alerts?limit=2000')).json()) as AlertsResponse;
    const death = staff.alerts.find((a) => a.ruleId === 'low_risk_death');
    if (death) expect(wall.alerts.some((a) => a.ruleId === 'low_risk_death' && a.zh.includes('低风险组') && a.zh.includes('死亡 1 例'))).toBe(true);
  });
});

describe('audit log', () => {
  it('records every case-level look and export with who, role, scope and rows, for the administrator only', async () => {
    const day = ctx.rt.clock.now().toISOString().slice(0, 10);
    // This session's requests carry limit=25 (the matrix's do not), to tell its records apart (the test clock stands still).
    const range = `from=2026-03-01&to=${DEMO_END}&limit=25`;
    const cases = (await (await ask('analyst', `/api/explore/drg?level=case&${range}&department=D102`)).json()) as DrgExploreResponse;
    await ask('analyst', `/api/explore/drg?level=group&${range}&format=csv`);
    await ask('director', `/api/explore/drg?level=case&${range}`);
    await ask('admin', `/api/quality/rejects?table=charge_lines&date=${DEMO_END}&limit=25`);
    await ask('leader', `/api/explore/drg?level=group&${range}`); // aggregate level: not audited
    await ask('leader', `/api/explore/drg?level=case&${range}`); // denied: nothing to audit
    const log = (await (await ask('admin', `/api/audit?from=${day}&to=${day}`)).json()) as AuditResponse;
    const fresh = log.entries.filter((e) => e.query.includes('limit=25'));
    expect(fresh.map((e) => [e.name, e.role, e.action, e.scope].join(' ')).sort()).toEqual([
      '周工程师 admin quality.rejects hospital',
      '李主任 director explore.drg.case D101',
      '赵分析 analyst explore.drg.case D102',
      '赵分析 analyst export.drg.group hospital',
    ]);
    expect(fresh.find((e) => e.scope === 'D102')).toMatchObject({ who: 'u-zhao', rows: cases.cases.length, query: `level=case&${range}&department=D102`, at: ctx.rt.clock.now().toISOString() });
    expect(cases.cases.length).toBe(25);
    expect((await ask('analyst', `/api/audit?from=${day}&to=${day}`)).status).toBe(403);
  });
});
