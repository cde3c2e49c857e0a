/**
 * The analyst's explorers: KPIs, the rows behind a figure, charge lines and DRG. One gate decides for all four who may
 * ask what (the grant, a director's own department, case-level rows, exports) before any query runs; case-level looks
 * and exports leave an audit record.
 */
import type { Context } from 'hono';
import { kpi as kpiOf } from '../../domain/kpis/catalog.ts';
import type { Named } from '../../domain/kpis/measures.ts';
import { reachesDepartment } from '../../domain/roles.ts';
import { HOSPITAL_SCOPE } from '../../domain/screens.ts';
import { badRequest, notAllowed, notConfigured, notFound } from '../../domain/user-error.ts';
import { outputJson } from '../../domain/output-numbers.ts';
import { latestDailyNight } from '../../lake/reports.ts';
import { audit, type AccessContext } from '../access.ts';
import { chargesMetadata, chargesQuery, chargesTable, exploreCharges } from '../charges.ts';
import { drgExploreCsv, drgExploreQuery, exploreDrg } from '../drg-explore.ts';
import { exploreDetailQuery, exploreQuery, parseQuery } from '../explore/query.ts';
import { detailMetadata, detailTable, exploreMetadata, exploreTable, toCsv, toXlsx } from '../explore/export.ts';
import { exploreDetail } from '../explore/detail.ts';
import { explore } from '../explore/answer.ts';
import { XLSX_TYPE } from '../xlsx.ts';
import type { ApiApp, RouteContext } from './context.ts';

/** What a request asks of the gate: a department (a director's is filled in), a format, and whether it shows rows. */
interface GateAsk { department?: string | undefined; format: string }

/**
 * Who may ask: the explore grant; rows behind a figure (patients, cases, charge lines) need the case grant; a director
 * only their own department (named, or theirs when they have one); exports only analysts. Throws the 403 to send.
 */
function gate(c: AccessContext, q: GateAsk, rows: boolean, what: Named): void {
  const grants = c.get('grants');
  const principal = c.get('principal');
  if (grants.explore === 'none') throw notAllowed(`${what.zh}仅院领导、科室主任和运营分析可用`, `the ${what.en} is for leadership, directors and analysts`);
  if (grants.explore === 'own' && q.department === undefined && principal.departments.length === 1) q.department = principal.departments[0]!;
  const needed = rows ? grants.cases : grants.explore;
  if (rows && needed === 'none') throw notAllowed('明细数据仅运营分析与本科室主任可查看', 'the rows behind a figure are for analysts and the department\'s own director');
  if (needed !== 'all' && (q.department === undefined || !reachesDepartment(needed, principal, q.department))) {
    throw q.department
      ? notAllowed(`科室 ${q.department} 不在您的授权范围内`, `department ${q.department} is outside your scope`)
      : notAllowed('请指定您负责的科室（department）', 'name one of your departments (department=…)');
  }
  if (q.format !== 'json' && !grants.export) throw notAllowed('导出仅运营分析可用', 'exports are for analysts');
}

const KPI_EXPLORER = { zh: '指标分析', en: 'KPI explorer' };
const DRG_EXPLORER = { zh: 'DRG 分析', en: 'DRG explorer' };

/** What the explorers' routes share: the lake (or a 501), the newest night (or a 404), their deps and the audit record. */
function explorerKit(ctx: RouteContext) {
  const { deps, caches } = ctx;
  const lake = () => {
    if (!deps.engine || !deps.store) throw notConfigured('此部署未配置分析查询引擎', 'The analyst query engine is not configured in this deployment');
    return { engine: deps.engine, store: deps.store };
  };
  /** The explorers' "data as of": the newest night of a daily table in the lake (budgets arrive dated ahead). */
  const newestNight = async (): Promise<string> => {
    const asOf = await caches.newestNight.get('newest', () => latestDailyNight(lake().store));
    if (!asOf) throw notFound('no_data', '数据湖中还没有任何一晚的数据，请先运行 opsdeck ingest', 'No night in the lake yet: run opsdeck ingest first');
    return asOf;
  };
  const exploreDeps = () => ({ engine: lake().engine, targets: deps.targets ?? [], caches });
  const record = (c: AccessContext, action: string, q: GateAsk, rows: number) => audit(deps.access, c, action, q.department ?? 'hospital', rows, ctx.now());

  return { lake, newestNight, exploreDeps, record };
}
type Kit = ReturnType<typeof explorerKit>;

export function exploreRoutes(app: ApiApp, ctx: RouteContext): void {
  const kit = explorerKit(ctx);
  const { lake, newestNight, exploreDeps, record } = kit;
  const { caches } = ctx;
  // Explorer answers leave with the same number rule as stored snapshots (no floating-point noise in JSON).
  app.use('/api/explore*', async (c, next) => {
    await next();
    if (!c.res.headers.get('Content-Type')?.startsWith('application/json')) return;
    c.res = new Response(outputJson(await c.res.json()), { status: c.res.status, headers: c.res.headers });
  });

  app.get('/api/explore', async (c) => {
    const q = parseQuery(exploreQuery, c.req.queries());
    gate(c, q, false, KPI_EXPLORER);
    const asOf = await newestNight();
    const started = performance.now();
    const { answer, cached } = await explore(exploreDeps(), q, asOf);
    if (q.format !== 'json') {
      await record(c, `export.explore.${q.format}`, q, answer.rows.length);
      return sendExport(c, q.format, `${q.kpi}-${q.dim}-${answer.period.from}-${answer.period.dataTo}`, exploreTable(answer, q.money), exploreMetadata(answer, q.money, ctx.now(), c.get('principal').name));
    }
    c.header('Cache-Control', 'no-store');
    return c.json({ ...answer, cached, elapsedMs: Math.round(performance.now() - started) });
  });

  app.get('/api/explore/detail', async (c) => {
    const q = parseQuery(exploreDetailQuery, c.req.queries());
    gate(c, q, true, KPI_EXPLORER);
    const result = await exploreDetail(exploreDeps(), q, await newestNight());
    await record(c, q.format === 'json' ? 'explore.detail' : `export.detail.${q.format}`, q, result.rows.length);
    if (q.format !== 'json') {
      return sendExport(c, q.format, `${q.kpi}-rows-${result.period.from}-${result.period.dataTo}`, detailTable(result), detailMetadata(result, kpiOf(q.kpi), ctx.now(), c.get('principal').name));
    }
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });

  app.get('/api/explore/charges', async (c) => {
    const q = parseQuery(chargesQuery, c.req.queries());
    // Charge lines name patients: the same grant as the rows behind a figure.
    gate(c, q, true, KPI_EXPLORER);
    const result = await exploreCharges({ engine: lake().engine, caches }, q, await newestNight());
    const shown = result.by === 'lines' ? result.lines.length : result.rows.length;
    await record(c, q.format === 'json' ? `explore.charges.${result.by}` : `export.charges.${q.format}`, q, shown);
    if (q.format !== 'json') return sendExport(c, q.format, `charges-${result.by}-${result.from}-${result.to}`, chargesTable(result), chargesMetadata(result, ctx.now(), c.get('principal').name));
    c.header('Cache-Control', 'no-store');
    return c.json(result);
  });
  drgRoute(app, ctx, kit);
}

/** The DRG explorer, as of the newest DRG snapshot (the explorer and the DRG wall agree on the night). */
function drgRoute(app: ApiApp, ctx: RouteContext, { record }: Kit): void {
  const { deps, caches } = ctx;
  app.get('/api/explore/drg', async (c) => {
    const parsed = drgExploreQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
      throw badRequest(`参数错误：${issues.join('；')}`, `Bad query: ${issues.join('; ')}`);
    }
    const q = parsed.data;
    gate(c, q, q.level === 'case', DRG_EXPLORER);
    if (!deps.engine || !deps.drgRules) throw notConfigured('此部署未配置分析查询引擎', 'The analyst query engine is not configured in this deployment');
    // As of the newest DRG snapshot: the explorer and the DRG wall agree on the night.
    const newest = (await ctx.snapshots.listAsOf('drg', HOSPITAL_SCOPE, 1))[0];
    if (!newest) throw notFound('no_snapshot', '还没有 DRG 快照，请先运行 opsdeck aggregate', 'No DRG snapshot yet: run opsdeck aggregate first');
    const result = await exploreDrg({ engine: deps.engine, rules: deps.drgRules, cache: caches.drg }, q, newest);
    if (q.level === 'case' || q.format === 'csv') {
      await record(c, `${q.format === 'csv' ? 'export' : 'explore'}.drg.${q.level}`, q, q.level === 'case' ? result.cases.length : result.rows.length);
    }
    c.header('Cache-Control', 'no-store');
    if (q.format === 'csv') {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="drg-${result.level}-${result.from}-${result.to}.csv"`);
      return c.body(drgExploreCsv(result));
    }
    return c.json(result);
  });
}

function sendExport(c: Context, format: 'csv' | 'xlsx', name: string, table: ReturnType<typeof exploreTable>, meta: ReturnType<typeof exploreMetadata>) {
  c.header('Cache-Control', 'no-store');
  c.header('Content-Disposition', `attachment; filename="${name}.${format}"`);
  if (format === 'csv') {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return c.body(toCsv(table));
  }
  c.header('Content-Type', XLSX_TYPE);
  return c.body(toXlsx(table, meta, name.slice(0, 31)) as Uint8Array<ArrayBuffer>);
}
