/**
 * The HTTP API as one hono app. The same object serves the API Lambda (handlers/api.ts) and the local server.
 * Screens read precomputed snapshots only: no SQL runs on a page load.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isIsoDate } from '../domain/calendar.ts';
import { HOSPITAL_SCOPE } from '../domain/campus-screen.ts';
import { KPIS } from '../domain/kpis/catalog.ts';
import { kpiDefinition } from '../domain/kpis/model.ts';
import { AlertConflictError, type AlertFilter, type AlertStore, type Clock, type ObjectStore, type QueryEngine, type SnapshotStore } from '../ports.ts';
import { OWNER_NAMES, type AlertRule } from '../domain/alerts.ts';
import { actOnAlert } from '../pipeline/alerts.ts';
import { wallAlert } from './alert-view.ts';
import { inertCsv } from './export.ts';
import { outputJson } from '../domain/output-numbers.ts';
import type { DrgRules } from '../domain/drg.ts';
import { exploreDrg, drgExploreQuery, drgExploreCsv } from './drg-explore.ts';
import { chargesMetadata, chargesQuery, chargesTable, exploreCharges } from './charges.ts';
import { isContractTable } from '../domain/contract.ts';
import { latestDailyNight } from '../pipeline/ingest.ts';
import { assessQuality, readRejects, reportedNights } from '../pipeline/quality.ts';
import type { DisplayConfig } from '../domain/displays.ts';
import type { DisplayResponse, DisplaysResponse, AlertsResponse, ApiError, AuditResponse, CatalogResponse, DemoUsersResponse, HealthResponse, MeResponse, QualityResponse, RejectsResponse, ScreenResponse, SignInResponse } from './contract.ts';
import { audit, authenticate, forbidden, playlistShows, type AccessDeps, type AccessContext, type AccessVars } from './access.ts';
import { reachesDepartment } from '../domain/roles.ts';
import type { KpiTarget } from '../domain/explore.ts';
import { kpi as kpiOf } from '../domain/kpis/catalog.ts';
import { detailMetadata, detailTable, explore, exploreDetail, exploreDetailQuery, exploreMetadata, exploreQuery, exploreTable, parseQuery, toCsv, toXlsx, QueryLimitError, type BadQuery } from './explore.ts';
import { XLSX_TYPE } from './xlsx.ts';
import { toDayNumber } from '../domain/calendar.ts';

export interface ApiDeps {
  snapshots: SnapshotStore;
  /** The lake engine and the region's DRG rules, for the analyst explorers (bounded, cached queries). */
  engine?: QueryEngine;
  drgRules?: DrgRules;
  /** Alert state and the rule catalogue in force. */
  alerts?: AlertStore;
  alertRules?: readonly AlertRule[];
  /** Wall displays (playlists) and the hospital's time zone. */
  displays?: readonly DisplayConfig[];
  timeZone?: string;
  /**
   * How long a snapshot read may be answered from memory (ms; 0: never). Snapshots change once a night and walls poll
   * every few minutes, so the local server and the Lambda keep reads for a few seconds: a room of displays then costs
   * one store read per screen, not one per request.
   */
  snapshotCacheMs?: number;
  /**
   * How long an alert list may be answered from memory (ms; 0: never). Every wall's ticker polls it; an acknowledgement
   * or resolution through this API forgets what is kept at once, and a night's new alerts show within this time.
   */
  alertCacheMs?: number;
  /** Ingest reports and quarantine, for the data-quality endpoints. */
  store?: ObjectStore;
  clock: Clock;
  version: string;
  /** Who may ask what (every route but health and the sign-in needs a principal). */
  access: AccessDeps;
  /** The hospital's KPI targets, for the explorer's "against target". */
  targets?: readonly KpiTarget[];
}

const screenQuery = z.object({
  scope: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).default(HOSPITAL_SCOPE),
  asOf: z.string().refine(isIsoDate).optional(),
});

const qualityQuery = z.object({ date: z.string().refine(isIsoDate).optional() });
const rejectsQuery = z.object({
  table: z.string().refine(isContractTable),
  date: z.string().refine(isIsoDate),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

const SCREENS = { campus: { zh: '院区运营', en: 'campus' }, drg: { zh: 'DRG 病种成本', en: 'DRG cost' }, budget: { zh: '预算执行', en: 'budget' }, 'budget-lines': { zh: '预算明细', en: 'budget lines' } } as const;
const departmentQuery = z.object({ asOf: z.string().refine(isIsoDate).optional() });

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

function fail(c: Context, status: 400 | 404 | 409 | 422 | 501 | 503, code: string, zh: string, en: string) {
  const body: ApiError = { error: { code, zh, en } };
  return c.json(body, status);
}

/**
 * Answers kept in memory for `ttlMs` by key (0: never kept, every call loads), at most `max` keys: a room of displays
 * then costs one store read per key and period, not one per request. `clear` drops them all (after a write).
 */
function ttlMemo(ttlMs: number, max: number): { get: <T>(key: string, load: () => Promise<T>) => Promise<T>; clear: () => void } {
  const memo = new Map<string, { until: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0) return load();
      const now = Date.now();
      const hit = memo.get(key);
      if (hit && hit.until > now) return hit.value as Promise<T>;
      if (memo.size >= max) memo.clear();
      const value = load();
      memo.set(key, { until: now + ttlMs, value });
      value.catch(() => memo.delete(key));
      return value;
    },
    clear: () => memo.clear(),
  };
}

/** How the local server and the Lambda keep reads: snapshots change once a night; alert lists when acted on (here) or at night. */
export const SERVING_CACHE = { snapshotCacheMs: 15_000, alertCacheMs: 5_000 } as const;

const auditQuery = z.object({ from: z.string().refine(isIsoDate), to: z.string().refine(isIsoDate) });
const signIn = z.object({ user: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) });

export function createApp(deps: ApiDeps): Hono<{ Variables: AccessVars }> {
  const app = new Hono<{ Variables: AccessVars }>();
  app.use('/api/*', authenticate(deps.access));
  const displayOf = (c: AccessContext) => {
    const id = c.get('principal').display;
    return id ? deps.displays?.find((d) => d.id === id) : undefined;
  };
  // Snapshot reads per (screen, scope, as-of); alert-list answers (the store's scan, the sort, the ETag's hash) per
  // (filter, a director's departments, limit), forgotten on an acknowledgement or resolution through this API.
  const snapshotReads = ttlMemo(deps.snapshotCacheMs ?? 0, 1000);
  const snapshots: Pick<SnapshotStore, 'latest' | 'listAsOf'> = {
    latest: (screen, scope, atOrBefore) => snapshotReads.get(`l|${screen}|${scope}|${atOrBefore ?? ''}`, () => deps.snapshots.latest(screen, scope, atOrBefore)),
    listAsOf: (screen, scope, limit) => snapshotReads.get(`a|${screen}|${scope}|${limit}`, () => deps.snapshots.listAsOf(screen, scope, limit)),
  };
  const alertLists = ttlMemo(deps.alertCacheMs ?? 0, 500);

  /** A precomputed snapshot with an ETag (a wall polling an unchanged snapshot gets 304), or a clear 404. */
  async function serveSnapshot(c: Context, screen: string, scope: string, asOf: string | undefined, names: { zh: string; en: string }) {
    const snap = await snapshots.latest(screen, scope, asOf);
    if (!snap) {
      return fail(c, 404, 'no_snapshot', `没有 ${scope} 在 ${asOf ?? '任何日期'} 及之前的${names.zh}快照，请先运行 opsdeck aggregate`,
        `No ${names.en} snapshot for ${scope} on or before ${asOf ?? 'any date'}: run opsdeck aggregate first`);
    }
    const etag = `"${screen}-${snap.scope}-${snap.asOf}-${snap.generatedAt}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    const body: ScreenResponse<unknown> = {
      screen, scope, asOf: snap.asOf, generatedAt: snap.generatedAt, servedAt: deps.clock.now().toISOString(),
      available: await snapshots.listAsOf(screen, scope, 60),
      data: snap.data,
    };
    return c.json(body);
  }

  app.get('/api/health', (c) => {
    const body: HealthResponse = { status: 'ok', servedAt: deps.clock.now().toISOString(), version: deps.version };
    return c.json(body);
  });

  app.get('/api/auth/demo-users', (c) => {
    if (!deps.access.demo) return fail(c, 404, 'not_found', '此部署不提供演示登录', 'This deployment offers no demo sign-in');
    const body: DemoUsersResponse = {
      users: deps.access.demo.users.map((u) => ({ id: u.id, name: u.name, zh: u.zh, en: u.en, roles: u.roles, departments: u.departments })),
      roles: deps.access.roles.map((r) => ({ id: r.id, zh: r.zh, en: r.en, home: r.home })),
    };
    return c.json(body);
  });

  app.post('/api/auth/demo-signin', async (c) => {
    const demo = deps.access.demo;
    if (!demo) return fail(c, 404, 'not_found', '此部署不提供演示登录', 'This deployment offers no demo sign-in');
    const parsed = signIn.safeParse(await c.req.json().catch(() => undefined));
    const user = parsed.success ? demo.users.find((u) => u.id === parsed.data.user) : undefined;
    if (!user) return fail(c, 400, 'bad_body', '请求体应为 {"user": 演示用户编号}', 'The body must be {"user": a demo user id}');
    const principal = { sub: user.id, name: user.name, roles: user.roles, departments: user.departments };
    const { token, expiresAt } = await demo.issue(principal);
    const body: SignInResponse = { token, expiresAt, principal };
    return c.json(body);
  });

  app.get('/api/me', (c) => {
    const p = c.get('principal');
    const roles = deps.access.roles.filter((r) => p.roles.includes(r.id));
    const body: MeResponse = { principal: p, grants: c.get('grants'), roles: roles.map((r) => ({ id: r.id, zh: r.zh, en: r.en, home: r.home })) };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });

  app.get('/api/audit', async (c) => {
    if (!c.get('grants').audit) return forbidden(c, '审计日志仅管理员可查看', 'the audit log is for administrators');
    const parsed = auditQuery.safeParse(c.req.query());
    if (!parsed.success || parsed.data.from > parsed.data.to || toDayNumber(parsed.data.to) - toDayNumber(parsed.data.from) > 92) {
      return fail(c, 400, 'bad_query', '参数错误：from、to 为 YYYY-MM-DD，from ≤ to，跨度不超过 93 天', 'Bad query: from and to are dates YYYY-MM-DD, from ≤ to, at most 93 days');
    }
    const entries = await deps.access.audit.list(parsed.data.from, parsed.data.to);
    const body: AuditResponse = { from: parsed.data.from, to: parsed.data.to, entries: entries.reverse() };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  });

  app.get('/api/catalog', (c) => {
    const body: CatalogResponse = { kpis: KPIS.map(kpiDefinition) };
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(body);
  });

  app.get('/api/screens/:screen', async (c) => {
    const screen = c.req.param('screen');
    if (!(screen in SCREENS)) return fail(c, 404, 'not_found', `没有这个大屏：${screen}`, `No such screen: ${screen}`);
    const names = SCREENS[screen as keyof typeof SCREENS];
    const { screens } = c.get('grants');
    if (!screens) return forbidden(c, `${names.zh}大屏仅院领导、运营分析和大屏设备可见`, `the ${names.en} screen is for leadership, analysts and wall displays`);
    const parsed = screenQuery.safeParse(c.req.query());
    if (!parsed.success) {
      return fail(c, 400, 'bad_query', '参数错误：scope 为院区编码或 hospital，asOf 为 YYYY-MM-DD 格式的有效日期',
        'Bad query: scope must be a campus code or "hospital", asOf a valid date YYYY-MM-DD');
    }
    if (screens === 'playlist' && !playlistShows(displayOf(c), screen, parsed.data.scope)) {
      return forbidden(c, `此大屏设备的轮播中没有 ${names.zh}（${parsed.data.scope}）`, `this display's playlist does not show ${names.en} (${parsed.data.scope})`);
    }
    return serveSnapshot(c, screen, parsed.data.scope, parsed.data.asOf, names);
  });

  app.get('/api/departments/:id', async (c) => {
    const id = c.req.param('id');
    const parsed = departmentQuery.safeParse(c.req.query());
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(id) || !parsed.success) {
      return fail(c, 400, 'bad_query', '参数错误：科室编码为字母数字，asOf 为 YYYY-MM-DD 格式的有效日期', 'Bad query: the department id is a code, asOf a valid date YYYY-MM-DD');
    }
    if (!reachesDepartment(c.get('grants').departments, c.get('principal'), id)) return forbidden(c, `科室 ${id} 不在您的授权范围内`, `department ${id} is outside your scope`);
    return serveSnapshot(c, 'department', id, parsed.data.asOf, { zh: '科室', en: 'department' });
  });

  app.get('/api/displays', (c) => {
    const level = c.get('grants').displays;
    if (level === 'none') return forbidden(c, '大屏配置仅院领导、运营分析、管理员和大屏设备可见', 'display playlists are for leadership, analysts, administrators and the displays');
    const own = c.get('principal').display;
    const body: DisplaysResponse = { timeZone: deps.timeZone ?? 'Asia/Shanghai', displays: (deps.displays ?? []).filter((d) => level === 'all' || d.id === own).map((d) => ({ id: d.id, zh: d.zh, en: d.en, slides: d.slides.length })) };
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });

  app.get('/api/displays/:id', (c) => {
    const id = c.req.param('id');
    const level = c.get('grants').displays;
    if (level === 'none' || (level !== 'all' && id !== c.get('principal').display)) return forbidden(c, `此令牌只对应大屏 ${c.get('principal').display ?? '（无）'}`, `this token is bound to display ${c.get('principal').display ?? '(none)'}`);
    const display = deps.displays?.find((d) => d.id === id);
    if (!display) {
      return fail(c, 404, 'not_found', `没有这个大屏配置：${id}（可用：${(deps.displays ?? []).map((d) => d.id).join('、') || '无'}）`,
        `No such display: ${id} (configured: ${(deps.displays ?? []).map((d) => d.id).join(', ') || 'none'})`);
    }
    const body: DisplayResponse = { timeZone: deps.timeZone ?? 'Asia/Shanghai', servedAt: deps.clock.now().toISOString(), display };
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });

  // Explorer answers leave with the same number rule as stored snapshots (no floating-point noise in JSON).
  app.use('/api/explore*', async (c, next) => {
    await next();
    if (!c.res.headers.get('Content-Type')?.startsWith('application/json')) return;
    const body = outputJson(await c.res.json());
    c.res = new Response(body, { status: c.res.status, headers: c.res.headers });
  });

  app.get('/api/explore/drg', async (c) => {
    const grants = c.get('grants');
    const principal = c.get('principal');
    if (grants.explore === 'none') return forbidden(c, 'DRG 分析仅院领导、科室主任和运营分析可用', 'the DRG explorer is for leadership, directors and analysts');
    if (!deps.engine || !deps.drgRules) return fail(c, 501, 'not_configured', '此部署未配置分析查询引擎', 'The analyst query engine is not configured in this deployment');
    const parsed = drgExploreQuery.safeParse(c.req.query());
    if (!parsed.success) {
      return fail(c, 400, 'bad_query', `参数错误：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`,
        `Bad query: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const q = parsed.data;
    // A director's drill-down is their department's: named, or theirs when they have one; never another's.
    if (grants.explore === 'own' && q.department === undefined && principal.departments.length === 1) q.department = principal.departments[0]!;
    const caseLevel = q.level === 'case';
    const needed = caseLevel ? grants.cases : grants.explore;
    if (caseLevel && grants.cases === 'none') return forbidden(c, '病例明细仅运营分析与本科室主任可查看', 'case-level rows are for analysts and the department\'s own director');
    if (needed !== 'all' && (q.department === undefined || !reachesDepartment(needed, principal, q.department))) {
      return forbidden(c, q.department ? `科室 ${q.department} 不在您的授权范围内` : '请指定您负责的科室（department）', q.department ? `department ${q.department} is outside your scope` : 'name one of your departments (department=…)');
    }
    if (q.format === 'csv' && !grants.export) return forbidden(c, '导出仅运营分析可用', 'exports are for analysts');
    const newest = (await snapshots.listAsOf('drg', HOSPITAL_SCOPE, 1))[0];
    if (!newest) return fail(c, 404, 'no_snapshot', '还没有 DRG 快照，请先运行 opsdeck aggregate', 'No DRG snapshot yet: run opsdeck aggregate first');
    const result = await exploreDrg(deps.engine, deps.drgRules, q, newest);
    if ('error' in result) return fail(c, result.status ?? 400, result.code ?? 'bad_query', result.error.zh, result.error.en);
    if (caseLevel || q.format === 'csv') {
      await audit(deps.access, c, `${q.format === 'csv' ? 'export' : 'explore'}.drg.${q.level}`, q.department ?? 'hospital', caseLevel ? result.cases.length : result.rows.length, deps.clock.now().toISOString());
    }
    c.header('Cache-Control', 'no-store');
    if (q.format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="drg-${result.level}-${result.from}-${result.to}.csv"`);
      return c.body(drgExploreCsv(result));
    }
    return c.json(result);
  });

  /** The explorer's "data as of": the newest night of a daily table in the lake (budgets arrive dated ahead). Read at most once a minute. */
  let nights: { until: number; value: Promise<string | undefined> } | undefined;
  const newestNight = (): Promise<string | undefined> => {
    const now = Date.now();
    if (!nights || nights.until <= now) {
      const value = latestDailyNight(deps.store!);
      nights = { until: now + 60_000, value };
      value.catch(() => (nights = undefined));
    }
    return nights.value;
  };

  /**
   * What every explorer request checks before a query runs: the engine, the grant, the director's own department, and
   * the newest night. Returns the response to send instead, or the as-of date.
   */
  async function exploreGate(c: AccessContext, q: { department?: string | undefined; format: string }, rows: boolean): Promise<Response | string> {
    const grants = c.get('grants');
    const principal = c.get('principal');
    if (grants.explore === 'none') return forbidden(c, '指标分析仅院领导、科室主任和运营分析可用', 'the KPI explorer is for leadership, directors and analysts');
    if (!deps.engine || !deps.store) return fail(c, 501, 'not_configured', '此部署未配置分析查询引擎', 'The analyst query engine is not configured in this deployment');
    // A director's view is their department's: named, or theirs when they have one; never another's.
    if (grants.explore === 'own' && q.department === undefined && principal.departments.length === 1) q.department = principal.departments[0]!;
    const needed = rows ? grants.cases : grants.explore;
    if (rows && needed === 'none') return forbidden(c, '明细数据仅运营分析与本科室主任可查看', 'the rows behind a figure are for analysts and the department\'s own director');
    if (needed !== 'all' && (q.department === undefined || !reachesDepartment(needed, principal, q.department))) {
      return forbidden(c, q.department ? `科室 ${q.department} 不在您的授权范围内` : '请指定您负责的科室（department）', q.department ? `department ${q.department} is outside your scope` : 'name one of your departments (department=…)');
    }
    if (q.format !== 'json' && !grants.export) return forbidden(c, '导出仅运营分析可用', 'exports are for analysts');
    const asOf = await newestNight();
    if (!asOf) return fail(c, 404, 'no_data', '数据湖中还没有任何一晚的数据，请先运行 opsdeck ingest', 'No night in the lake yet: run opsdeck ingest first');
    return asOf;
  }
  const badQuery = (c: Context, e: BadQuery) => fail(c, 400, 'bad_query', e.zh, e.en);
  const limitHit = (c: Context, e: unknown) => {
    if (!(e instanceof QueryLimitError)) throw e;
    return fail(c, 503, 'query_limit', `查询超时已取消：请缩短期间或增加筛选条件（${e.message.split(' / ')[0]}）`, `The query ran too long and was cancelled: shorten the period or add a filter (${e.message.split(' / ')[1] ?? e.message})`);
  };
  const sendExport = (c: Context, format: 'csv' | 'xlsx', name: string, table: ReturnType<typeof exploreTable>, meta: ReturnType<typeof exploreMetadata>) => {
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="${name}.${format}"`);
    if (format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      return c.body(toCsv(table));
    }
    c.header('Content-Type', XLSX_TYPE);
    return c.body(toXlsx(table, meta, name.slice(0, 31)) as Uint8Array<ArrayBuffer>);
  };

  app.get('/api/explore', async (c) => {
    const q = parseQuery(exploreQuery, c.req.queries());
    if ('zh' in q) return badQuery(c, q);
    const gate = await exploreGate(c, q, false);
    if (typeof gate !== 'string') return gate;
    const started = performance.now();
    try {
      const result = await explore({ engine: deps.engine!, targets: deps.targets ?? [] }, q, gate);
      if ('zh' in result) return badQuery(c, result);
      const { answer, cached } = result;
      if (q.format !== 'json') {
        const now = deps.clock.now().toISOString();
        await audit(deps.access, c, `export.explore.${q.format}`, q.department ?? 'hospital', answer.rows.length, now);
        return sendExport(c, q.format, `${q.kpi}-${q.dim}-${answer.period.from}-${answer.period.dataTo}`, exploreTable(answer, q.money), exploreMetadata(answer, q.money, now, c.get('principal').name));
      }
      c.header('Cache-Control', 'no-store');
      return c.json({ ...answer, cached, elapsedMs: Math.round(performance.now() - started) });
    } catch (e) {
      return limitHit(c, e);
    }
  });

  app.get('/api/explore/detail', async (c) => {
    const q = parseQuery(exploreDetailQuery, c.req.queries());
    if ('zh' in q) return badQuery(c, q);
    const gate = await exploreGate(c, q, true);
    if (typeof gate !== 'string') return gate;
    try {
      const result = await exploreDetail({ engine: deps.engine!, targets: deps.targets ?? [] }, q, gate);
      if ('zh' in result) return badQuery(c, result);
      const now = deps.clock.now().toISOString();
      await audit(deps.access, c, q.format === 'json' ? 'explore.detail' : `export.detail.${q.format}`, q.department ?? 'hospital', result.rows.length, now);
      if (q.format !== 'json') {
        return sendExport(c, q.format, `${q.kpi}-rows-${result.period.from}-${result.period.dataTo}`, detailTable(result), detailMetadata(result, kpiOf(q.kpi), now, c.get('principal').name));
      }
      c.header('Cache-Control', 'no-store');
      return c.json(result);
    } catch (e) {
      return limitHit(c, e);
    }
  });

  app.get('/api/explore/charges', async (c) => {
    const q = parseQuery(chargesQuery, c.req.queries());
    if ('zh' in q) return badQuery(c, q);
    // Charge lines name patients: the same grant as the rows behind a figure.
    const gate = await exploreGate(c, q, true);
    if (typeof gate !== 'string') return gate;
    try {
      const result = await exploreCharges({ engine: deps.engine! }, q, gate);
      if (!('asOf' in result)) return badQuery(c, result);
      const now = deps.clock.now().toISOString();
      const shown = result.by === 'lines' ? result.lines.length : result.rows.length;
      await audit(deps.access, c, q.format === 'json' ? `explore.charges.${result.by}` : `export.charges.${q.format}`, q.department ?? 'hospital', shown, now);
      if (q.format !== 'json') {
        return sendExport(c, q.format, `charges-${result.by}-${result.from}-${result.to}`, chargesTable(result), chargesMetadata(result, now, c.get('principal').name));
      }
      c.header('Cache-Control', 'no-store');
      return c.json(result);
    } catch (e) {
      return limitHit(c, e);
    }
  });

  app.get('/api/quality', async (c) => {
    if (!c.get('grants').quality) return forbidden(c, '数据质量页仅院领导、运营分析与管理员可见', 'data quality is for leadership, analysts and administrators');
    const store = deps.store;
    if (!store) return fail(c, 501, 'not_configured', '此部署未配置数据质量报告存储', 'Data-quality reports are not configured in this deployment');
    const parsed = qualityQuery.safeParse(c.req.query());
    if (!parsed.success) return fail(c, 400, 'bad_query', '参数错误：date 应为 YYYY-MM-DD 格式的有效日期', 'Bad query: date must be a valid date YYYY-MM-DD');
    const assessment = await assessQuality(store, parsed.data.date);
    if (!assessment) {
      return fail(c, 404, 'no_report', `${parsed.data.date ?? ''} 及之前还没有任何导入报告，请先运行 opsdeck ingest`,
        `No ingest report on or before ${parsed.data.date ?? 'today'}: run opsdeck ingest first`);
    }
    c.header('Cache-Control', 'no-cache');
    const body: QualityResponse = { ...assessment, servedAt: deps.clock.now().toISOString(), available: (await reportedNights(store)).reverse().slice(0, 120) };
    return c.json(body);
  });

  app.get('/api/quality/rejects', async (c) => {
    if (!c.get('grants').rejects) return forbidden(c, '被拒收的原始记录仅运营分析与管理员可查看', 'rejected rows as delivered are for analysts and administrators');
    const store = deps.store;
    if (!store) return fail(c, 501, 'not_configured', '此部署未配置数据质量报告存储', 'Data-quality reports are not configured in this deployment');
    const parsed = rejectsQuery.safeParse(c.req.query());
    if (!parsed.success) {
      return fail(c, 400, 'bad_query', '参数错误：table 为数据契约中的表名，date 为 YYYY-MM-DD，offset ≥ 0，limit 为 1–1000，format 为 json 或 csv',
        'Bad query: table must be a data-contract table, date YYYY-MM-DD, offset ≥ 0, limit 1–1000, format json or csv');
    }
    const { table, date, offset, limit, format } = parsed.data;
    if (format === 'csv') {
      const bytes = await store.get(`quarantine/${table}/dt=${date}/rejects.csv`);
      if (!bytes) return fail(c, 404, 'no_rejects', `${table} 在 ${date} 没有被拒收的行`, `No rejected rows for ${table} on ${date}`);
      const text = inertCsv(new TextDecoder().decode(bytes));
      // Rows as parsed (a raw record may hold a quoted line break), not lines.
      await audit(deps.access, c, 'export.rejects.csv', 'hospital', (await readRejects(store, table, date, 0, 1))?.total ?? 0, deps.clock.now().toISOString());
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="rejects-${table}-${date}.csv"`);
      c.header('Cache-Control', 'no-store');
      return c.body(text);
    }
    const page = await readRejects(store, table, date, offset, limit);
    await audit(deps.access, c, 'quality.rejects', 'hospital', page?.rows.length ?? 0, deps.clock.now().toISOString());
    const body: RejectsResponse = { table, date, offset, total: page?.total ?? 0, rows: page?.rows ?? [] };
    return c.json(body);
  });

  app.get('/api/alerts', async (c) => {
    if (!deps.alerts || !deps.alertRules) return fail(c, 501, 'not_configured', '此部署未配置预警存储', 'Alert storage is not configured in this deployment');
    const parsed = alertsQuery.safeParse(c.req.query());
    if (!parsed.success) {
      return fail(c, 400, 'bad_query', '参数错误：state 为 open/acknowledged/resolved，severity 为 P1/P2/P3，owner、department、rule 为编码', 'Bad query: state open|acknowledged|resolved, severity P1|P2|P3, owner, department and rule are codes');
    }
    const q = parsed.data;
    const grants = c.get('grants');
    const principal = c.get('principal');
    // A display reads the list whatever its playlist (every wall screen has a ticker), always redacted; a wall screen
    // opened by a person asks for the same view, so no wall shows a patient or case identifier.
    if (grants.alerts === 'none') return forbidden(c, '预警列表不在您的授权范围内', 'the alert list is outside your scope');
    const forWall = grants.alerts === 'playlist' || q.view === 'wall';
    if (grants.alerts === 'own' && q.department !== undefined && !principal.departments.includes(q.department)) {
      return forbidden(c, `科室 ${q.department} 不在您的授权范围内`, `department ${q.department} is outside your scope`);
    }
    const filter: AlertFilter = { ...(q.state ? { state: q.state } : {}), ...(q.severity ? { severity: q.severity } : {}), ...(q.owner ? { owner: q.owner } : {}), ...(q.department ? { departmentId: q.department } : {}), ...(q.rule ? { ruleId: q.rule } : {}) };
    // A director sees the alerts of their departments only.
    const own = grants.alerts === 'own' ? principal.departments : null;
    const { etag, body } = await alertLists.get(JSON.stringify([filter, own, q.limit, forWall]), async () => {
      const listed = await deps.alerts!.list(filter);
      const scoped = own ? listed.filter((a) => !!a.departmentId && own.includes(a.departmentId)) : listed;
      const all = forWall ? scoped.map((a) => wallAlert(a, deps.alertRules!)) : scoped;
      // Open first, then by severity, then the newest night first: what a ticker and a duty officer read first.
      all.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.id < b.id ? -1 : 1));
      const view: Omit<AlertsResponse, 'servedAt'> = {
        total: all.length, alerts: all.slice(0, q.limit),
        counts: {
          severity: { P1: all.filter((a) => a.severity === 'P1').length, P2: all.filter((a) => a.severity === 'P2').length, P3: all.filter((a) => a.severity === 'P3').length },
          owner: all.reduce<Record<string, number>>((m, a) => ((m[a.owner] = (m[a.owner] ?? 0) + 1), m), {}),
        },
        rules: deps.alertRules!.map((r) => ({ id: r.id, zh: r.zh, en: r.en, owner: r.owner, severity: r.severity, nature: r.nature, enabled: r.enabled, logicZh: r.logicZh, logicEn: r.logicEn, basis: r.basis, params: r.params })),
        owners: OWNER_NAMES,
      };
      // Revalidation: the list's state without the serving time, so an unchanged list answers 304.
      return { etag: `"alerts-${createHash('sha1').update(JSON.stringify({ ...view, servedAt: '' })).digest('base64url').slice(0, 22)}"`, body: view };
    });
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    const out: AlertsResponse = { servedAt: deps.clock.now().toISOString(), ...body };
    return c.json(out);
  });

  app.post('/api/alerts/:id/:action{ack|resolve}', async (c) => {
    const store = deps.alerts;
    if (!store) return fail(c, 501, 'not_configured', '此部署未配置预警存储', 'Alert storage is not configured in this deployment');
    const parsed = alertAction.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return fail(c, 400, 'bad_body', '请求体应为 {"note": 说明（可选）, "version": 当前版本号}', 'The body must be {"note": optional note, "version": the version you saw}');
    const { note, version } = parsed.data;
    const id = c.req.param('id');
    const level = c.get('grants').actOnAlerts;
    const principal = c.get('principal');
    if (level === 'none') return forbidden(c, '处理预警仅科室主任与运营分析可用', 'acting on alerts is for directors and analysts');
    if (level === 'own') {
      const alert = await store.get(id);
      if (alert && !(alert.departmentId && principal.departments.includes(alert.departmentId))) {
        return forbidden(c, `预警 ${id} 不属于您负责的科室`, `alert ${id} is not of your departments`);
      }
    }
    // The record names who acted as the sign-in says, not as typed.
    const by = principal.name;
    try {
      const r = await actOnAlert(store, id, c.req.param('action') === 'ack' ? 'acknowledge' : 'resolve', by, note, version, deps.clock.now().toISOString());
      alertLists.clear();
      if ('error' in r) {
        return r.error === 'not_found'
          ? fail(c, 404, 'not_found', `没有这条预警：${id}`, `No such alert: ${id}`)
          : fail(c, 409, 'bad_state', `预警 ${id} 当前状态不允许此操作`, `Alert ${id} is not in a state that allows this`);
      }
      return c.json(r);
    } catch (e) {
      if (e instanceof AlertConflictError) return fail(c, 409, 'conflict', e.message.split(' / ')[0]!, e.message.split(' / ')[1] ?? e.message);
      throw e;
    }
  });

  app.notFound((c) => fail(c, 404, 'not_found', `没有这个接口：${c.req.path}`, `No such endpoint: ${c.req.path}`));
  app.onError((err, c) => {
    console.error(err);
    const body: ApiError = { error: { code: 'internal', zh: '服务器内部错误，请稍后重试', en: 'Internal server error: please retry later' } };
    return c.json(body, 500);
  });
  return app;
}
