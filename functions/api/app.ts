/**
 * The HTTP API as one hono app. The same object serves the API Lambda (handlers/api.ts) and the local server.
 * Screens read precomputed snapshots only: no SQL runs on a page load.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isIsoDate } from '../domain/calendar.ts';
import { HOSPITAL_SCOPE } from '../domain/campus-screen.ts';
import { KPI_CATALOG } from '../domain/kpi-catalog.ts';
import { AlertConflictError, type AlertStore, type Clock, type ObjectStore, type QueryEngine, type SnapshotStore } from '../ports.ts';
import { OWNER_NAMES, type AlertRule } from '../domain/alerts.ts';
import { actOnAlert } from '../pipeline/alerts.ts';
import type { DrgRules } from '../domain/drg.ts';
import { exploreDrg, drgExploreQuery, drgExploreCsv } from './drg-explore.ts';
import { isContractTable } from '../domain/contract.ts';
import { assessQuality, readRejects, reportedNights } from '../pipeline/quality.ts';
import type { DisplayConfig } from '../domain/displays.ts';
import type { DisplayResponse, DisplaysResponse, AlertsResponse, ApiError, CatalogResponse, HealthResponse, QualityResponse, RejectsResponse, ScreenResponse } from './contract.ts';

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
  /** Ingest reports and quarantine, for the data-quality endpoints. */
  store?: ObjectStore;
  clock: Clock;
  version: string;
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
});
const alertAction = z.object({ by: z.string().trim().min(1).max(80), note: z.string().trim().max(500).optional(), version: z.number().int().min(1) });
const SEVERITY_ORDER = { P1: 0, P2: 1, P3: 2 } as const;
const STATE_ORDER = { open: 0, acknowledged: 1, resolved: 2 } as const;

function fail(c: Context, status: 400 | 404 | 409 | 501, code: string, zh: string, en: string) {
  const body: ApiError = { error: { code, zh, en } };
  return c.json(body, status);
}

/** Snapshot reads kept for `ttlMs`: the newest snapshot and the list of as-of dates per (screen, scope, asOf). */
function cachedReads(store: SnapshotStore, ttlMs: number): Pick<SnapshotStore, 'latest' | 'listAsOf'> {
  if (ttlMs <= 0) return store;
  const memo = new Map<string, { until: number; value: Promise<unknown> }>();
  const read = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    const now = Date.now();
    const hit = memo.get(key);
    if (hit && hit.until > now) return hit.value as Promise<T>;
    if (memo.size > 1000) memo.clear(); // bounded: scopes × screens × as-of dates asked for
    const value = load();
    memo.set(key, { until: now + ttlMs, value });
    value.catch(() => memo.delete(key));
    return value;
  };
  return {
    latest: (screen, scope, atOrBefore) => read(`l|${screen}|${scope}|${atOrBefore ?? ''}`, () => store.latest(screen, scope, atOrBefore)),
    listAsOf: (screen, scope, limit) => read(`a|${screen}|${scope}|${limit}`, () => store.listAsOf(screen, scope, limit)),
  };
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  const snapshots = cachedReads(deps.snapshots, deps.snapshotCacheMs ?? 0);

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

  app.get('/api/catalog', (c) => {
    const body: CatalogResponse = { kpis: [...KPI_CATALOG] };
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(body);
  });

  app.get('/api/screens/:screen', async (c) => {
    const screen = c.req.param('screen');
    if (!(screen in SCREENS)) return fail(c, 404, 'not_found', `没有这个大屏：${screen}`, `No such screen: ${screen}`);
    const names = SCREENS[screen as keyof typeof SCREENS];
    const parsed = screenQuery.safeParse(c.req.query());
    if (!parsed.success) {
      return fail(c, 400, 'bad_query', '参数错误：scope 为院区编码或 hospital，asOf 为 YYYY-MM-DD 格式的有效日期',
        'Bad query: scope must be a campus code or "hospital", asOf a valid date YYYY-MM-DD');
    }
    return serveSnapshot(c, screen, parsed.data.scope, parsed.data.asOf, names);
  });

  app.get('/api/departments/:id', async (c) => {
    const id = c.req.param('id');
    const parsed = departmentQuery.safeParse(c.req.query());
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(id) || !parsed.success) {
      return fail(c, 400, 'bad_query', '参数错误：科室编码为字母数字，asOf 为 YYYY-MM-DD 格式的有效日期', 'Bad query: the department id is a code, asOf a valid date YYYY-MM-DD');
    }
    return serveSnapshot(c, 'department', id, parsed.data.asOf, { zh: '科室', en: 'department' });
  });

  app.get('/api/displays', (c) => {
    const body: DisplaysResponse = { timeZone: deps.timeZone ?? 'Asia/Shanghai', displays: (deps.displays ?? []).map((d) => ({ id: d.id, zh: d.zh, en: d.en, slides: d.slides.length })) };
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });

  app.get('/api/displays/:id', (c) => {
    const id = c.req.param('id');
    const display = deps.displays?.find((d) => d.id === id);
    if (!display) {
      return fail(c, 404, 'not_found', `没有这个大屏配置：${id}（可用：${(deps.displays ?? []).map((d) => d.id).join('、') || '无'}）`,
        `No such display: ${id} (configured: ${(deps.displays ?? []).map((d) => d.id).join(', ') || 'none'})`);
    }
    const body: DisplayResponse = { timeZone: deps.timeZone ?? 'Asia/Shanghai', servedAt: deps.clock.now().toISOString(), display };
    c.header('Cache-Control', 'no-cache');
    return c.json(body);
  });

  app.get('/api/explore/drg', async (c) => {
    if (!deps.engine || !deps.drgRules) return fail(c, 501, 'not_configured', '此部署未配置分析查询引擎', 'The analyst query engine is not configured in this deployment');
    const parsed = drgExploreQuery.safeParse(c.req.query());
    if (!parsed.success) {
      return fail(c, 400, 'bad_query', `参数错误：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`,
        `Bad query: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const newest = (await snapshots.listAsOf('drg', HOSPITAL_SCOPE, 1))[0];
    if (!newest) return fail(c, 404, 'no_snapshot', '还没有 DRG 快照，请先运行 opsdeck aggregate', 'No DRG snapshot yet: run opsdeck aggregate first');
    const result = await exploreDrg(deps.engine, deps.drgRules, parsed.data, newest);
    if ('error' in result) return fail(c, 400, 'bad_query', result.error.zh, result.error.en);
    c.header('Cache-Control', 'no-cache');
    if (parsed.data.format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="drg-${result.level}-${result.from}-${result.to}.csv"`);
      return c.body(drgExploreCsv(result));
    }
    return c.json(result);
  });

  app.get('/api/quality', async (c) => {
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
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="rejects-${table}-${date}.csv"`);
      return c.body(new TextDecoder().decode(bytes));
    }
    const page = await readRejects(store, table, date, offset, limit);
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
    const all = await deps.alerts.list({ ...(q.state ? { state: q.state } : {}), ...(q.severity ? { severity: q.severity } : {}), ...(q.owner ? { owner: q.owner } : {}), ...(q.department ? { departmentId: q.department } : {}), ...(q.rule ? { ruleId: q.rule } : {}) });
    // Open first, then by severity, then the newest night first: what a ticker and a duty officer read first.
    all.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : a.id < b.id ? -1 : 1));
    const body: AlertsResponse = {
      servedAt: deps.clock.now().toISOString(), total: all.length, alerts: all.slice(0, q.limit),
      rules: deps.alertRules.map((r) => ({ id: r.id, zh: r.zh, en: r.en, owner: r.owner, severity: r.severity, nature: r.nature, enabled: r.enabled, logicZh: r.logicZh, logicEn: r.logicEn, basis: r.basis, params: r.params })),
      owners: OWNER_NAMES,
    };
    // Revalidation: the list's state without the serving time, so an unchanged list answers 304.
    const etag = `"alerts-${createHash('sha1').update(JSON.stringify({ ...body, servedAt: '' })).digest('base64url').slice(0, 22)}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    return c.json(body);
  });

  app.post('/api/alerts/:id/:action{ack|resolve}', async (c) => {
    const store = deps.alerts;
    if (!store) return fail(c, 501, 'not_configured', '此部署未配置预警存储', 'Alert storage is not configured in this deployment');
    const parsed = alertAction.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return fail(c, 400, 'bad_body', '请求体应为 {"by": 处理人, "note": 说明（可选）, "version": 当前版本号}', 'The body must be {"by": who, "note": optional note, "version": the version you saw}');
    const { by, note, version } = parsed.data;
    const id = c.req.param('id');
    try {
      const r = await actOnAlert(store, id, c.req.param('action') === 'ack' ? 'acknowledge' : 'resolve', by, note, version, deps.clock.now().toISOString());
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
