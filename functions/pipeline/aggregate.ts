/**
 * Nightly aggregate: lake → campus screen snapshots (one per scope) in the SnapshotStore.
 * Runs only portable SQL through the QueryEngine port; all KPI arithmetic is in functions/domain.
 */
import { addDays, toDayNumber } from '../domain/calendar.ts';
import { emptyFigures, type Figures } from '../domain/kpis/measures.ts';
import { buildCampusScreen, comparisonPeriods, HOSPITAL_SCOPE, TREND_DAYS, type DailyFigures } from '../domain/campus-screen.ts';
import { SNAPSHOT_SCHEMA, type CampusSnapshotData } from '../domain/screens.ts';
import type { AlertStore, Clock, ObjectStore, QueryEngine, QueryResult, SnapshotStore } from '../ports.ts';
import { sqlText } from '../sql/index.ts';
import { staleNights } from './ingest.ts';
import { recomputeKey } from '../lake/layout.ts';
import { latestDailyNight } from '../lake/reports.ts';
import { pipelineStatus, ReportReader } from '../lake/reports.ts';
import { aggregateDrgScreen, type DrgAggregateResult } from './drg.ts';
import type { DrgRules } from '../domain/drg.ts';
import type { AlertRule } from '../domain/alerts.ts';
import { evaluateAlerts, type AlertRunResult } from './alerts.ts';
import { aggregateFinance, type FinanceAggregateResult } from './finance.ts';
import type { CostModel } from '../domain/cost-model.ts';
import { num } from '../lake/values.ts';

export interface AggregateDeps {
  engine: QueryEngine;
  /** The region's DRG/DIP rule sets (outliers, DIP bands, risk tiers). */
  drgRules: DrgRules;
  /** The hospital's cost model (allocation drivers, monitoring indicators). */
  costModel: CostModel;
  /** The alert store and rule catalogue; without them the night's aggregate computes snapshots only. */
  alerts?: { store: AlertStore; rules: readonly AlertRule[] };
  snapshots: SnapshotStore;
  store: ObjectStore;
  clock: Clock;
}


function figures(daily: DailyFigures, campus: string, day: string): Figures {
  let byDay = daily.get(campus);
  if (!byDay) daily.set(campus, (byDay = new Map()));
  let f = byDay.get(day);
  if (!f) byDay.set(day, (f = emptyFigures()));
  return f;
}

/** Reads the daily campus figures for [from, to] from the lake into `daily`. */
export async function loadDailyFigures(engine: QueryEngine, from: string, to: string, daily: DailyFigures = new Map()): Promise<DailyFigures> {
  const params = [from, to];
  // One after another: an engine connection runs one statement at a time.
  const op = await engine.query(sqlText('campus_outpatient_daily'), { params });
  const ip = await engine.query(sqlText('campus_inpatient_daily'), { params });
  const census = await engine.query(sqlText('campus_census_daily'), { params });
  const ops = await engine.query(sqlText('campus_surgery_daily'), { params });
  for (const r of op.rows) {
    const f = figures(daily, String(r.campus_id), String(r.day));
    f.outpatientVisits += num(r.outpatient_visits);
    f.emergencyVisits += num(r.emergency_visits);
    f.outpatientRevenue += num(r.revenue);
    f.drugRevenue += num(r.drug_revenue);
    f.materialRevenue += num(r.material_revenue);
    f.examRevenue += num(r.exam_revenue);
    f.labRevenue += num(r.lab_revenue);
  }
  for (const r of ip.rows) {
    const f = figures(daily, String(r.campus_id), String(r.day));
    f.discharges += num(r.discharges);
    f.losDays += num(r.los_days);
    f.inpatientRevenue += num(r.revenue);
    f.drugRevenue += num(r.drug_revenue);
    f.materialRevenue += num(r.material_revenue);
    f.examRevenue += num(r.exam_revenue);
    f.labRevenue += num(r.lab_revenue);
  }
  for (const r of census.rows) {
    const f = figures(daily, String(r.campus_id), String(r.day));
    f.openBeds += num(r.open_beds);
    f.occupiedBeds += num(r.occupied_beds);
    f.admissions += num(r.admissions);
  }
  for (const r of ops.rows) figures(daily, String(r.campus_id), String(r.day)).surgeries += num(r.surgeries);
  return daily;
}

export interface AggregateResult {
  asOf: string;
  snapshots: number;
  elapsedMs: number;
}

/** Computes and stores the campus screen snapshots for `asOf` (one per scope: hospital and each campus). */
export async function aggregateCampusScreen(deps: AggregateDeps, asOf: string, reports = new ReportReader(deps.store)): Promise<AggregateResult> {
  const started = performance.now();
  const periods = comparisonPeriods(asOf);
  const campuses = (await deps.engine.query(sqlText('campuses'), { params: [asOf, asOf] })).rows.map((r) => ({
    id: String(r.campus_id), zh: String(r.name_zh), en: String(r.name_en ?? r.name_zh),
  }));
  if (campuses.length === 0) throw new Error(`截至 ${asOf} 湖中没有院区参考数据，请先导入 / no campus reference data in the lake on or before ${asOf}: ingest first`);
  // One read covers the trend, the month to date and the previous month; a second covers the same span a year earlier.
  const trendFrom = addDays(asOf, -(TREND_DAYS - 1));
  const daily = await loadDailyFigures(deps.engine, trendFrom < periods.mom.from ? trendFrom : periods.mom.from, asOf);
  await loadDailyFigures(deps.engine, periods.yoy.from, periods.yoy.to, daily);
  const screen = buildCampusScreen(daily, campuses, asOf);
  const pipeline = await pipelineStatus(deps.store, asOf, reports);
  const generatedAt = deps.clock.now().toISOString();
  const scopeList = screen.scopes.map((s) => ({ id: s.scope, zh: s.zh, en: s.en }));
  for (const scope of screen.scopes) {
    const data: CampusSnapshotData = { asOf, period: screen.period, scopes: [scope], scopeList, pipeline, schema: SNAPSHOT_SCHEMA };
    await deps.snapshots.put({ screen: 'campus', scope: scope.scope, asOf, generatedAt, data });
  }
  return { asOf, snapshots: screen.scopes.length, elapsedMs: performance.now() - started };
}

/**
 * Recomputes the snapshots made stale by late corrections: every campus snapshot as of a night on or after the oldest
 * night whose lake partitions changed after later nights had been ingested. Clears those marks when done.
 */
export async function recomputeStale(deps: AggregateDeps): Promise<{ nights: string[]; recomputed: string[] }> {
  const nights = await staleNights(deps.store);
  if (nights.length === 0) return { nights, recomputed: [] };
  const from = nights[0]!;
  const recomputed = (await deps.snapshots.listAsOf('campus', HOSPITAL_SCOPE, 100_000)).filter((d) => d >= from).sort();
  for (const asOf of recomputed) await aggregateNight(deps, asOf);
  for (const dt of nights) await deps.store.delete(recomputeKey(dt));
  return { nights, recomputed };
}

/**
 * The night's queries answered once: the steps read the same reference tables (departments, wards, campuses) and the
 * same budget; the lake does not change while a night is aggregated, so identical statements share one result. On
 * Athena each saved statement is a round trip and a minimum scan charge.
 */
export function onceEngine(engine: QueryEngine): QueryEngine {
  const seen = new Map<string, Promise<QueryResult>>();
  return {
    query(sql, options = {}) {
      const key = JSON.stringify([sql, options.params ?? [], options.maxRows ?? null]);
      let r = seen.get(key);
      if (!r) {
        r = engine.query(sql, options);
        seen.set(key, r);
        r.catch(() => seen.delete(key));
      }
      return r;
    },
    close: () => engine.close(),
  };
}

export interface NightResult {
  campus: AggregateResult;
  drg: DrgAggregateResult;
  finance: FinanceAggregateResult;
  alerts?: AlertRunResult;
}

/** Every screen's snapshots for `asOf` (campus operations, DRG cost, budget and department views), then the night's alerts. */
export async function aggregateNight(given: AggregateDeps, asOf: string): Promise<NightResult> {
  const deps = { ...given, engine: onceEngine(given.engine) };
  const reports = new ReportReader(deps.store); // one read of the ingest reports for the whole night
  const campus = await aggregateCampusScreen(deps, asOf, reports);
  const drg = await aggregateDrgScreen(deps, asOf, reports);
  const finance = await aggregateFinance({ ...deps, alertRules: deps.alerts?.rules }, asOf, reports);
  if (!deps.alerts) return { campus, drg, finance };
  const alerts = await evaluateAlerts({ engine: deps.engine, store: deps.store, clock: deps.clock, drgRules: deps.drgRules, alerts: deps.alerts.store, rules: deps.alerts.rules }, asOf, { cases: drg.enriched, reports, budget: finance.budget });
  return { campus, drg, finance, alerts };
}

export interface ScheduledAggregate {
  /** The night aggregated: the newest night with daily facts in the lake (none before the first ingest). */
  asOf: string | null;
  /** Nights between that night and yesterday (hospital time): 0 when last night's extracts are in, more when nights were missed. */
  lagDays: number | null;
  /** Snapshot dates recomputed because late corrections changed their nights. */
  recomputed: string[];
  night?: NightResult;
}

/**
 * The scheduled nightly run (EventBridge Scheduler on AWS): recompute what late corrections made stale, then aggregate
 * the newest ingested night and say how far behind yesterday it is, so a missed night raises an alarm.
 */
export async function aggregateLatest(deps: AggregateDeps): Promise<ScheduledAggregate> {
  const { recomputed } = await recomputeStale(deps);
  const asOf = (await latestDailyNight(deps.store)) ?? null;
  if (asOf === null) return { asOf, lagDays: null, recomputed };
  const night = await aggregateNight(deps, asOf);
  const yesterday = addDays(deps.clock.today(), -1);
  return { asOf, lagDays: Math.max(0, toDayNumber(yesterday) - toDayNumber(asOf)), recomputed, night };
}
