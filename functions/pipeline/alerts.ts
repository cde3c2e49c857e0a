/**
 * Nightly alert evaluation: reads what the rules need (portable SQL through the QueryEngine, the DRG cases, the
 * data-quality assessment), runs the catalogue, and reconciles the findings with the AlertStore:
 * new → open; found again → evidence refreshed (an acknowledged alert stays acknowledged, a resolved one reopens);
 * open or acknowledged but not found again in a period the rule looked at → auto-resolved.
 */
import { addDays, monthStart, shiftMonths } from '../domain/calendar.ts';
import { evaluateRules, type AlertInputs, type Evaluation } from '../domain/alert-rules.ts';
import { alertId, type AlertFinding, type AlertRule } from '../domain/alerts.ts';
import type { DrgRules, EnrichedCase } from '../domain/drg.ts';
import type { AlertRecord, AlertStore, Clock, ObjectStore, QueryEngine } from '../ports.ts';
import { AlertConflictError } from '../ports.ts';
import { sqlText } from '../sql/index.ts';
import { drgCases, loadNames } from '../lake/drg-cases.ts';
import { assessQuality, ReportReader } from '../lake/reports.ts';
import { loadBudgetMonths } from './finance.ts';
import type { QualityAssessment } from '../domain/data-quality.ts';
import type { BudgetMonth } from '../domain/budget.ts';
import { num, str } from '../lake/values.ts';

export interface AlertDeps {
  engine: QueryEngine;
  store: ObjectStore;
  alerts: AlertStore;
  clock: Clock;
  drgRules: DrgRules;
  rules: readonly AlertRule[];
}


/** How far back the rules look: two complete months before this one (DRG group losing), 60 days of use, 31 of census. */
export function alertWindow(asOf: string): { from: string; useFrom: string; censusFrom: string } {
  const months = shiftMonths(monthStart(asOf), -2);
  const useFrom = addDays(asOf, -59);
  return { from: months < useFrom ? months : useFrom, useFrom, censusFrom: addDays(asOf, -40) };
}

export interface AlertInputOptions {
  zscoreMonths?: number;
  /** What the night's other steps already read: the DRG step's cases, the ingest reports, the budget of the night's year. */
  cases?: readonly EnrichedCase[];
  reports?: ReportReader;
  budget?: readonly BudgetMonth[];
}

export async function loadAlertInputs(deps: Pick<AlertDeps, 'engine' | 'store' | 'drgRules'>, asOf: string, options: AlertInputOptions = {}): Promise<AlertInputs> {
  const { engine } = deps;
  const w = alertWindow(asOf);
  const year = Number(asOf.slice(0, 4));
  const names = await loadNames(engine, asOf);
  const wards = new Map((await engine.query(sqlText('wards'), { params: [asOf, asOf] })).rows.map((r) => [str(r.ward_id), { zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh), departmentId: str(r.department_id) }]));
  const items = new Map((await engine.query(sqlText('charge_items'), { params: [asOf, asOf] })).rows.map((r) => [str(r.item_code), { zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh) }]));
  const excess = await engine.query(sqlText('charge_excess'), { params: [addDays(asOf, -31), asOf, asOf] });
  const useFrom = shiftMonths(monthStart(asOf), -((options.zscoreMonths ?? 12) + 1));
  const use = await engine.query(sqlText('item_use_daily'), { params: [useFrom < w.useFrom ? useFrom : w.useFrom, asOf] });
  const first = str((await engine.query(sqlText('charge_lines_first_day'), { params: [asOf] })).rows[0]?.first_day) || null;
  const census = await engine.query(sqlText('ward_census_daily'), { params: [w.censusFrom, asOf] });
  // Cases the DRG aggregate already enriched cover a longer span (12 months); otherwise read the window.
  const cases = options.cases ? options.cases.filter((c) => c.dischargeDate >= w.from && c.dischargeDate <= asOf) : (await drgCases(engine, deps.drgRules, w.from, asOf, asOf)).cases;

  const budget = options.budget ?? (await loadBudgetMonths(engine, asOf, year));

  return {
    asOf, departments: names.departments, wards, items,
    chargeExcess: excess.rows.map((r) => ({ patientId: str(r.patient_id), itemCode: str(r.item_code), day: str(r.day), quantity: num(r.quantity), dailyLimit: num(r.daily_limit), lines: num(r.lines), departmentId: str(r.department_id) })),
    itemUse: use.rows.map((r) => ({ departmentId: str(r.department_id), itemCode: str(r.item_code), day: str(r.day), quantity: num(r.quantity) })),
    useFrom: first,
    census: census.rows.map((r) => ({ wardId: str(r.ward_id), departmentId: str(r.department_id), day: str(r.day), openBeds: num(r.open_beds), occupiedBeds: num(r.occupied_beds) })),
    cases,
    budget,
    quality: await qualityNights(options.reports ?? new ReportReader(deps.store), asOf, 7),
  };
}

/** The assessments of the last `nights` nights that have an ingest report, oldest first. */
async function qualityNights(reader: ReportReader, asOf: string, nights: number): Promise<QualityAssessment[]> {
  const wanted = (await reader.reported()).filter((d) => d <= asOf && d >= addDays(asOf, -(nights - 1)));
  const out: QualityAssessment[] = [];
  for (const d of wanted) {
    const q = await assessQuality(reader.store, d, reader);
    if (q) out.push(q);
  }
  return out;
}

export interface AlertRunResult {
  asOf: string;
  evaluation: Evaluation;
  opened: AlertRecord[];
  reopened: number;
  refreshed: number;
  autoResolved: number;
  /** Findings of a night older than ALERT_HISTORY_DAYS, stored resolved as history. */
  recordedAsHistory: number;
  elapsedMs: number;
}

function recordOf(f: AlertFinding, rule: AlertRule, asOf: string, now: string): AlertRecord {
  return {
    id: alertId(f), ruleId: f.ruleId, owner: rule.owner, entity: f.entity, entityZh: f.entityZh, entityEn: f.entityEn, departmentId: f.departmentId,
    period: f.period, severity: f.severity, state: 'open', version: 1, zh: f.zh, en: f.en, evidence: f.evidence, link: f.link,
    ...(f.wall ? { wall: f.wall } : {}),
    firstSeen: asOf, lastSeen: asOf, updatedAt: now, history: [{ at: now, state: 'open', by: 'system' }],
  };
}

/**
 * Nights older than this (against the clock's today) are history: computing them (a backfill of past years, a
 * recomputation) records what the rules find there as resolved history and reopens nothing, instead of raising
 * alerts for periods long closed.
 */
export const ALERT_HISTORY_DAYS = 7;

const HISTORY_NOTE = (asOf: string) => `历史数据（${asOf}，回填或重算时发现），作为历史记录，不再待处理 / found in past data (${asOf}, while backfilling or recomputing): recorded as history, not to act on`;

/** Evaluates every enabled rule for night `asOf` and brings the AlertStore up to date. */
export async function evaluateAlerts(deps: AlertDeps, asOf: string, options: AlertInputOptions = {}): Promise<AlertRunResult> {
  const started = performance.now();
  const inputs = await loadAlertInputs(deps, asOf, options);
  const evaluation = evaluateRules(deps.rules, inputs);
  const now = deps.clock.now().toISOString();
  const history = asOf < addDays(deps.clock.today(), -ALERT_HISTORY_DAYS);
  const existing = new Map((await deps.alerts.list()).map((a) => [a.id, a]));
  const rulesById = new Map(deps.rules.map((r) => [r.id, r]));
  const found = new Set<string>();
  const opened: AlertRecord[] = [];
  let reopened = 0;
  let refreshed = 0;
  let recordedAsHistory = 0;
  for (const f of evaluation.findings) {
    const id = alertId(f);
    if (found.has(id)) continue; // the same (rule, entity, period) twice in one night is one alert
    found.add(id);
    const before = existing.get(id);
    if (!before) {
      const record = recordOf(f, rulesById.get(f.ruleId)!, asOf, now);
      if (history) {
        await deps.alerts.put({ ...record, state: 'resolved', history: [...record.history, { at: now, state: 'resolved', by: 'system', note: HISTORY_NOTE(asOf) }] }, null);
        recordedAsHistory++;
        continue;
      }
      await deps.alerts.put(record, null);
      opened.push(record);
      continue;
    }
    if (asOf < before.lastSeen) continue; // an older night re-run must not roll evidence back
    const reopen = before.state === 'resolved' && !history;
    const next: AlertRecord = {
      ...before, severity: f.severity, zh: f.zh, en: f.en, evidence: f.evidence, link: f.link, ...(f.wall ? { wall: f.wall } : {}), lastSeen: asOf, updatedAt: now, version: before.version + 1,
      state: reopen ? 'open' : before.state,
      history: reopen ? [...before.history, { at: now, state: 'open', by: 'system', note: `条件于 ${asOf} 再次出现 / condition found again on ${asOf}` }] : before.history,
    };
    await putOnce(deps.alerts, next, before.version);
    if (reopen) reopened++;
    else refreshed++;
  }
  let autoResolved = 0;
  for (const { rule, result } of evaluation.results) {
    for (const a of existing.values()) {
      if (a.ruleId !== rule.id || a.state === 'resolved' || found.has(a.id) || !result.covers(a.period) || asOf < a.lastSeen) continue;
      await putOnce(deps.alerts, {
        ...a, state: 'resolved', version: a.version + 1, updatedAt: now,
        history: [...a.history, { at: now, state: 'resolved', by: 'system', note: `条件于 ${asOf} 不再成立，自动解除 / condition cleared on ${asOf}: resolved automatically` }],
      }, a.version);
      autoResolved++;
    }
  }
  return { asOf, evaluation, opened, reopened, refreshed, autoResolved, recordedAsHistory, elapsedMs: performance.now() - started };
}

/** A system write that lost a race with a person (an acknowledgement in between) is skipped: the person's action stands. */
async function putOnce(store: AlertStore, record: AlertRecord, expectedVersion: number): Promise<void> {
  try {
    await store.put(record, expectedVersion);
  } catch (e) {
    if (!(e instanceof AlertConflictError)) throw e;
  }
}
