/** generate → ingest → aggregate → API on a small demo hospital, checked against counts taken straight from the landing CSVs. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import type { ApiError, BudgetLinesResponse, BudgetScreenResponse, CampusScreenResponse, CatalogResponse, DepartmentResponse } from '../../functions/api/contract.ts';
import { aggregateCampusScreen, aggregateLatest, recomputeStale } from '../../functions/pipeline/aggregate.ts';
import { emitMetrics } from '../../functions/handlers/aws-runtime.ts';
import { ingestNight, ingestNights } from '../../functions/pipeline/ingest.ts';
import { pendingNights } from '../../functions/pipeline/landing.ts';
import type { AlertRecord, AlertsResponse, DrgExploreResponse, DrgScreenResponse, QualityResponse, RejectsResponse } from '../../functions/api/contract.ts';
import { evaluateAlerts } from '../../functions/pipeline/alerts.ts';
import { loadAlertCatalogue } from '../../functions/domain/alerts.ts';
import { addDays } from '../../functions/domain/calendar.ts';
import { DEMO_END, demoRuntime } from '../support/demo-runtime.ts';
import { STAFF, tokenFor, withToken } from '../support/access.ts';

let ctx: Awaited<ReturnType<typeof demoRuntime>>;
let app: ReturnType<typeof createApp>;
let staffToken: string;
/** The app, asked as staff (every hospital-wide role); access control has its own tests (access.test.ts). */
const request = (path: string, init?: RequestInit) => app.request(path, withToken(staffToken, init));

beforeAll(async () => {
  ctx = await demoRuntime();
  app = createApp({ snapshots: ctx.rt.snapshots, store: ctx.rt.store, engine: ctx.rt.engine, drgRules: ctx.rt.drgRules, alerts: ctx.rt.alerts, alertRules: ctx.rt.alertRules, clock: ctx.rt.clock, version: 'test', access: ctx.rt.access });
  staffToken = await tokenFor(ctx.rt, STAFF);
});
afterAll(() => ctx.dispose());

/** Independent of the pipeline: split the raw CSV lines and add up by hand. */
function landingRows(table: string, from: string, to: string): Record<string, string>[] {
  const base = join(ctx.dir, 'landing', table);
  const out: Record<string, string>[] = [];
  for (const d of readdirSync(base)) {
    const dt = d.slice(3);
    if (dt < from || dt > to) continue;
    for (const f of readdirSync(join(base, d))) {
      const [head, ...lines] = readFileSync(join(base, d, f), 'utf8').trim().split('\n');
      const cols = head!.split(',');
      for (const l of lines) out.push(Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
    }
  }
  return out;
}

describe('demo hospital through the whole pipeline', () => {
  it('generates the structure the issue asks for', () => {
    const depts = landingRows('departments', '0000', '9999');
    expect(new Set(depts.map((d) => d.campus_id)).size).toBe(3);
    expect(depts.length).toBeGreaterThanOrEqual(40);
    expect(new Set(depts.map((d) => d.department_class))).toEqual(new Set(['clinical', 'medical_technical', 'medical_auxiliary', 'administrative']));
    expect(ctx.manifest.anomalies.map((a) => a.kind).sort()).toEqual(['budget_overspend', 'drug_use_jump', 'duplicate_charges', 'late_extract', 'ward_over_capacity']);
    const drgs = new Set(landingRows('drg_groups', '0000', '9999').map((g) => g.drg_code));
    const cases = landingRows('inpatient_cases', '2026-03-01', DEMO_END);
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) if (c.drg_code) expect(drgs.has(c.drg_code!)).toBe(true);
  });

  it('serves the campus screen with figures equal to the landing files', async () => {
    const res = await request('/api/screens/campus?scope=hospital');
    expect(res.status).toBe(200);
    const body = (await res.json()) as CampusScreenResponse;
    expect(body.asOf).toBe(DEMO_END);
    const tiles = Object.fromEntries(body.data.scopes[0]!.tiles.map((t) => [t.kpi, t]));
    const visits = landingRows('outpatient_visits', '2026-03-01', DEMO_END);
    expect(tiles.outpatient_visits!.value).toBe(visits.filter((v) => v.visit_type === 'outpatient').length);
    expect(tiles.emergency_visits!.value).toBe(visits.filter((v) => v.visit_type === 'emergency').length);
    const cases = landingRows('inpatient_cases', '2026-03-01', DEMO_END);
    expect(tiles.discharges!.value).toBe(cases.length);
    const revenueCents = [...visits, ...cases].reduce((s, r) => s + Math.round(Number(r.fee_total) * 100), 0);
    expect(Math.round(tiles.medical_revenue!.value! * 100)).toBe(revenueCents);
    const census = landingRows('bed_census', DEMO_END, DEMO_END);
    expect(tiles.inpatients!.value).toBe(census.reduce((s, r) => s + Number(r.occupied_beds), 0));
    expect(body.data.pipeline.lastNight).toBe(DEMO_END); // the newest ingest report on or before the as-of date
  });

  it('answers a campus scope, 304 for an unchanged snapshot, and bilingual errors', async () => {
    const c1 = await request('/api/screens/campus?scope=C01');
    expect(c1.status).toBe(200);
    const etag = c1.headers.get('ETag')!;
    expect((await request('/api/screens/campus?scope=C01', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    const bad = await request('/api/screens/campus?asOf=2026-02-30');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_query' } });
    const none = await request('/api/screens/campus?scope=C09');
    expect(none.status).toBe(404);
    const body = (await none.json()) as { error: { zh: string; en: string } };
    expect(body.error.zh).toContain('没有');
    expect(body.error.en).toContain('No campus snapshot');
  });

  it('publishes the KPI catalogue with definitions and sources', async () => {
    const body = (await (await request('/api/catalog')).json()) as CatalogResponse;
    const drug = body.kpis.find((k) => k.id === 'drug_share')!;
    expect(drug).toMatchObject({ unit: 'percent', direction: 'lower_better' });
    expect(drug.definitionZh).toContain('药品收入');
    expect(drug.source.length).toBeGreaterThan(10);
  });

  it('re-running a night gives the same lake and the same snapshot', async () => {
    const key = `lake/outpatient_visits/dt=${DEMO_END}/part-0.parquet`;
    const before = await ctx.rt.store.get(key);
    const snapBefore = await ctx.rt.snapshots.get('campus', 'hospital', DEMO_END);
    await ingestNight(ctx.rt.ingestDeps, DEMO_END);
    await aggregateCampusScreen(ctx.rt.aggregateDeps, DEMO_END);
    expect(Buffer.from((await ctx.rt.store.get(key))!).equals(Buffer.from(before!))).toBe(true);
    expect((await ctx.rt.snapshots.get('campus', 'hospital', DEMO_END))!.data).toEqual(snapBefore!.data);
    expect(readdirSync(join(ctx.dir, 'landing', 'outpatient_visits')).length).toBeGreaterThan(0); // raw files are kept
  });

  it('serves the data-quality verdict of the newest night: every source arrived, complete and on time', async () => {
    const res = await request('/api/quality');
    expect(res.status).toBe(200);
    const q = (await res.json()) as QualityResponse;
    expect(q.date).toBe(DEMO_END);
    expect(q.status).toBe('ok');
    expect(q.issues).toEqual([]);
    const visits = q.sources.find((s) => s.table === 'outpatient_visits')!;
    expect(visits.lastGoodNight).toBe(DEMO_END);
    expect(visits.tonight!.lateMinutes).toBe(0);
    expect(visits.tonight!.accepted).toBe(landingRows('outpatient_visits', DEMO_END, DEMO_END).length);
    expect(visits.completeness).toEqual({ delivered: 30, expected: 30 });
    expect(visits.typical!.weeks).toBe(8); // 62 days of history: eight earlier same weekdays
    expect((await request('/api/quality?date=2026-02-31')).status).toBe(400);
  });

  it('finds the demo\'s late charge extract and its unknown drug codes on their night, and nothing else', async () => {
    const late = ctx.manifest.anomalies.find((a) => a.kind === 'late_extract')!;
    const q = (await (await request(`/api/quality?date=${late.from}`)).json()) as QualityResponse;
    expect(q.issues.map((i) => `${i.severity} ${i.code} ${i.table}`)).toEqual(['P2 late charge_lines']);
    const lines = q.sources.find((s) => s.table === 'charge_lines')!;
    expect(lines.tonight).toMatchObject({ lateMinutes: 265, rejected: 6 });
    expect(lines.reasons).toEqual([{ field: 'item_code', code: 'unknown_reference', count: 6 }]);
    // Independent count from the raw file: the lines whose item code is not in the charge-item master.
    const known = new Set(landingRows('charge_items', '0000', '9999').map((r) => r.item_code));
    expect(landingRows('charge_lines', late.from, late.from).filter((r) => !known.has(r.item_code!)).length).toBe(6);
  });

  it('a late correction re-ingests its night and recomputes the snapshots that depend on it', async () => {
    const night = addDays(DEMO_END, -2);
    const before = (await ctx.rt.snapshots.get('campus', 'hospital', DEMO_END))!;
    const visitsBefore = (before.data as CampusScreenResponse['data']).scopes[0]!.tiles.find((t) => t.kpi === 'outpatient_visits')!.value;
    const header = readFileSync(join(ctx.dir, 'landing', 'outpatient_visits', `dt=${night}`, `outpatient_visits-${night.replaceAll('-', '')}.csv`), 'utf8').split('\n')[0]!;
    const sample = landingRows('outpatient_visits', night, night)[0]!;
    const extra: Record<string, string | undefined> = { ...sample, visit_id: 'CORR-1', visit_type: 'outpatient' };
    await ctx.rt.store.put(`landing/outpatient_visits/dt=${night}/correction-1.csv`, `${header}\n${header.split(',').map((c) => extra[c]).join(',')}\n`);
    expect(await pendingNights(ctx.rt.store)).toEqual([night]);
    const [report] = await ingestNights(ctx.rt.ingestDeps, [night]);
    expect(report!.previous).toBeDefined();
    const { nights, recomputed } = await recomputeStale(ctx.rt.aggregateDeps);
    expect(nights).toEqual([night]);
    expect(recomputed).toEqual([DEMO_END]);
    const after = (await ctx.rt.snapshots.get('campus', 'hospital', DEMO_END))!;
    expect((after.data as CampusScreenResponse['data']).scopes[0]!.tiles.find((t) => t.kpi === 'outpatient_visits')!.value).toBe(visitsBefore! + 1);
    expect((await recomputeStale(ctx.rt.aggregateDeps)).nights).toEqual([]); // marks cleared
  });

  it('pages through quarantined rows and downloads them as CSV', async () => {
    const night = addDays(DEMO_END, -1);
    const header = readFileSync(join(ctx.dir, 'landing', 'bed_census', `dt=${night}`, `bed_census-${night.replaceAll('-', '')}.csv`), 'utf8').split('\n')[0]!;
    const sample: Record<string, string | undefined> = landingRows('bed_census', night, night)[0]!;
    const bad = Array.from({ length: 3 }, (_, i) => header.split(',').map((c) => (c === 'ward_id' ? `NOWARD${i}` : sample[c])).join(','));
    await ctx.rt.store.put(`landing/bed_census/dt=${night}/extra.csv`, `${header}\n${bad.join('\n')}\n`);
    await ingestNights(ctx.rt.ingestDeps, await pendingNights(ctx.rt.store));
    const page = (await (await request(`/api/quality/rejects?table=bed_census&date=${night}&offset=1&limit=1`)).json()) as RejectsResponse;
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ sourceFile: `landing/bed_census/dt=${night}/extra.csv`, line: 3, field: 'ward_id', code: 'unknown_reference' });
    expect(page.rows[0]!.reasonEn).toContain('NOWARD1');
    const csv = await request(`/api/quality/rejects?table=bed_census&date=${night}&format=csv`);
    expect(csv.headers.get('Content-Type')).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toBe('source_file,line,field,code,reason_zh,reason_en,raw_record');
    const q = (await (await request(`/api/quality?date=${night}`)).json()) as QualityResponse;
    const census = q.sources.find((s) => s.table === 'bed_census')!;
    expect(census.reasons.find((r) => r.field === 'ward_id')).toMatchObject({ code: 'unknown_reference' });
    expect((await request('/api/quality/rejects?table=nope&date=2026-03-01')).status).toBe(400);
  });

  it('serves the DRG screen with CMI, weight and P&L equal to a count from the landing CSVs', async () => {
    const res = await request('/api/screens/drg?scope=hospital');
    expect(res.status).toBe(200);
    const body = (await res.json()) as DrgScreenResponse;
    expect(body.asOf).toBe(DEMO_END);
    const month = body.data.scopes[0]!.month;
    // Independently: weights and base rates from the delivered reference CSVs, cases from the landing CSVs.
    const weights = new Map(landingRows('drg_groups', '0000', '9999').filter((g) => g.year === '2026').map((g) => [g.drg_code!, Number(g.weight)]));
    const rates = new Map(landingRows('drg_base_rates', '0000', '9999').filter((r) => r.year === '2026').map((r) => [r.insurance_type!, Number(r.base_rate)]));
    const cases = landingRows('inpatient_cases', '2026-03-01', DEMO_END);
    const grouped = cases.filter((c) => c.drg_code);
    const totalWeight = grouped.reduce((s, c) => s + weights.get(c.drg_code!)!, 0);
    expect(month.discharges).toBe(cases.length);
    expect(month.grouped).toBe(grouped.length);
    expect(month.totalWeight).toBeCloseTo(totalWeight, 6);
    expect(month.cmi).toBeCloseTo(totalWeight / grouped.length, 9);
    expect(month.groupCount).toBe(new Set(grouped.map((c) => c.drg_code)).size);
    const settled = grouped.filter((c) => rates.has(c.insurance_type!));
    const payment = settled.reduce((s, c) => s + weights.get(c.drg_code!)! * rates.get(c.insurance_type!)!, 0);
    const charges = settled.reduce((s, c) => s + Number(c.fee_total), 0);
    expect(month.payment).toBeCloseTo(payment, 4);
    expect(month.pnl).toBeCloseTo(payment - charges, 4);
    expect(body.data.scopes[0]!.trend).toHaveLength(12);
    expect(body.data.scopeList.map((s) => s.id)).toEqual(['hospital', 'C01', 'C02', 'C03']);
    expect(body.data.outlierRule.id).toBe('banded');
  });

  it('drills the DRG explorer from groups to departments to cases, and exports each level', async () => {
    const groups = (await (await request(`/api/explore/drg?level=group&from=2026-03-01&to=${DEMO_END}`)).json()) as DrgExploreResponse;
    const screen = ((await (await request('/api/screens/drg?scope=hospital')).json()) as DrgScreenResponse).data.scopes[0]!;
    expect(groups.total.pnl).toBeCloseTo(screen.month.pnl, 4);
    expect(groups.rows.reduce((s, r) => s + r.cases, 0)).toBe(screen.month.grouped);
    expect(groups.rows[0]!.pnl).toBeLessThanOrEqual(groups.rows.at(-1)!.pnl); // biggest loss first
    const worst = groups.rows[0]!;
    const depts = (await (await request(`/api/explore/drg?level=department&from=2026-03-01&to=${DEMO_END}&drg=${worst.id}`)).json()) as DrgExploreResponse;
    expect(depts.rows.reduce((s, r) => s + r.cases, 0)).toBe(worst.cases);
    expect(depts.rows.reduce((s, r) => s + r.pnl, 0)).toBeCloseTo(worst.pnl, 4);
    const dept = depts.rows[0]!;
    const cases = (await (await request(`/api/explore/drg?level=case&from=2026-03-01&to=${DEMO_END}&drg=${worst.id}&department=${dept.id}`)).json()) as DrgExploreResponse;
    expect(cases.cases).toHaveLength(dept.cases);
    expect(cases.cases.every((c) => c.drgCode === worst.id && c.departmentId === dept.id)).toBe(true);
    const csv = await (await request(`/api/explore/drg?level=case&from=2026-03-01&to=${DEMO_END}&drg=${worst.id}&department=${dept.id}&format=csv`)).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]!.startsWith('case_id,discharge_date,department_id')).toBe(true);
    expect(lines).toHaveLength(dept.cases + 1);
    const bad = await request('/api/explore/drg?from=2025-01-01&to=2026-03-15');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { en: string } }).error.en).toContain('at most 366 days');
  });
});

describe('early-warning alerts on the demo hospital', () => {
  const alerts = async (q = ''): Promise<AlertsResponse> => (await (await request(`/api/alerts${q}`)).json()) as AlertsResponse;

  it('finds each injected anomaly with the matching rule', async () => {
    const all = (await alerts()).alerts;
    const of = (rule: string) => all.filter((a) => a.ruleId === rule);
    const anomaly = (kind: string) => ctx.manifest.anomalies.find((a) => a.kind === kind)!;
    // Duplicate charges: the three injected cases' patients, bed and CT charged twice on the injected day in the injected ward's department.
    const dup = anomaly('duplicate_charges');
    const dupCases = new Set(String(dup.detail.cases).split(' '));
    const patients = new Set(landingRows('charge_lines', dup.from, dup.from).filter((l) => dupCases.has(l.source_id!)).map((l) => l.patient_id));
    const found = of('duplicate_charges').filter((a) => a.period === dup.from);
    expect(new Set(found.map((a) => a.entity.split('/')[0]))).toEqual(patients);
    expect(new Set(found.map((a) => a.entity.split('/')[1]))).toEqual(new Set(['B01', 'E01']));
    // The drug whose use was pushed up in its department.
    expect(of('drug_use_growth').map((a) => a.entity)).toContain(anomaly('drug_use_jump').entity);
    // The ward admitting 1.75× its usual rate.
    expect(of('bed_occupancy_over').map((a) => a.entity)).toContain(anomaly('ward_over_capacity').entity);
    // The late charge extract, five nights before the as-of date.
    const late = anomaly('late_extract');
    expect(of('data_quality').map((a) => [a.entity, a.period])).toContainEqual(['charge_lines/late', late.from]);
    // With 62 days there is no whole year's budget: the budget rules say so instead of guessing (the overspend is found at scale m).
    expect(of('budget_expense_ahead').length + of('budget_forecast_overrun').length).toBe(0);
  });

  it('filters, and lets one acknowledgement win with a conflict for the other', async () => {
    const p2 = await alerts('?severity=P2&rule=duplicate_charges');
    expect(p2.alerts.length).toBeGreaterThan(0);
    expect(p2.alerts.every((a) => a.severity === 'P2' && a.ruleId === 'duplicate_charges')).toBe(true);
    expect(p2.rules.find((r) => r.id === 'duplicate_charges')).toMatchObject({ owner: 'medical_insurance', nature: 'suspect' });
    const target = p2.alerts[0]!;
    const post = (body: unknown) => request(`/api/alerts/${encodeURIComponent(target.id)}/ack`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    // A name typed in the body is ignored: the record names the signed-in person.
    const ok = await post({ by: '医保办 张', note: '已核实，退费处理中', version: target.version });
    expect(ok.status).toBe(200);
    const acked = (await ok.json()) as AlertRecord;
    expect(acked).toMatchObject({ state: 'acknowledged', version: target.version + 1 });
    expect(acked.history.at(-1)).toMatchObject({ state: 'acknowledged', by: STAFF.name, note: '已核实，退费处理中' });
    const stale = await post({ note: '另一人', version: target.version });
    expect(stale.status).toBe(409);
    expect((await post({ note: 'no version' })).status).toBe(400);
    expect((await alerts('?state=acknowledged')).alerts.map((a) => a.id)).toContain(target.id);
  });

  it('keeps an acknowledgement across nights, resolves an alert when its condition clears, and reopens it when it returns', async () => {
    const deps = { engine: ctx.rt.engine, store: ctx.rt.store, clock: ctx.rt.clock, drgRules: ctx.rt.drgRules, alerts: ctx.rt.alerts };
    const ward = ctx.manifest.anomalies.find((a) => a.kind === 'ward_over_capacity')!.entity;
    const byRule = (list: AlertRecord[], rule: string) => list.filter((a) => a.ruleId === rule);
    await evaluateAlerts({ ...deps, rules: ctx.rt.alertRules }, DEMO_END); // picks up what earlier tests changed (rejected rows)
    const again = await evaluateAlerts({ ...deps, rules: ctx.rt.alertRules }, DEMO_END);
    expect(again.opened).toEqual([]); // the same night twice: nothing new
    expect(byRule(await ctx.rt.alerts.list({ state: 'acknowledged' }), 'duplicate_charges')).toHaveLength(1);
    // The hospital raises the capacity threshold: the over-capacity alert clears and is resolved automatically …
    const raised = loadAlertCatalogue(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'alert-rules.json'), 'utf8')), 'shipped', { rules: { bed_occupancy_over: { params: { threshold: 1000 } } } });
    const cleared = await evaluateAlerts({ ...deps, rules: raised }, DEMO_END);
    expect(cleared.autoResolved).toBeGreaterThan(0);
    const resolved = (await ctx.rt.alerts.list({ ruleId: 'bed_occupancy_over' })).find((a) => a.entity === ward)!;
    expect(resolved.state).toBe('resolved');
    expect(resolved.history.at(-1)).toMatchObject({ state: 'resolved', by: 'system' });
    // … and reopens when the condition is found again.
    const back = await evaluateAlerts({ ...deps, rules: ctx.rt.alertRules }, DEMO_END);
    expect(back.reopened).toBeGreaterThan(0);
    expect((await ctx.rt.alerts.get(resolved.id))!.state).toBe('open');
  });

  it('computing a past night (a backfill) records what it finds as history and opens nothing', async () => {
    const deps = { engine: ctx.rt.engine, store: ctx.rt.store, clock: ctx.rt.clock, drgRules: ctx.rt.drgRules, alerts: ctx.rt.alerts };
    const openBefore = (await ctx.rt.alerts.list({ state: 'open' })).map((a) => a.id).sort();
    // Three weeks before the clock's today (2026-03-16): beyond the seven days in which a night's alerts are news.
    const past = await evaluateAlerts({ ...deps, rules: ctx.rt.alertRules }, '2026-02-23');
    expect(past.evaluation.findings.length).toBeGreaterThan(0);
    expect(past.opened).toEqual([]);
    expect(past.reopened).toBe(0);
    expect(past.recordedAsHistory).toBeGreaterThan(0);
    expect((await ctx.rt.alerts.list({ state: 'open' })).map((a) => a.id).sort()).toEqual(openBefore);
    const history = (await ctx.rt.alerts.list({ state: 'resolved' })).filter((a) => a.firstSeen === '2026-02-23');
    expect(history.length).toBe(past.recordedAsHistory);
    expect(history[0]!.history.at(-1)).toMatchObject({ state: 'resolved', by: 'system' });
    expect(history[0]!.history.at(-1)!.note).toContain('recorded as history');
  });
});

describe('budget and cost on the demo hospital', () => {
  /** "1234.56" → 123456 without floating point. */
  const cents = (s: string): number => {
    const [whole, frac = ''] = s.split('.');
    return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  };
  const departments = () => {
    const byId = new Map<string, Record<string, string>>();
    for (const d of landingRows('departments', '0000', '9999')) byId.set(d.department_id!, d);
    return [...byId.values()];
  };

  it('allocates the closed month to the clinical departments, reconciled to the cent with the landing files', async () => {
    const res = await request('/api/screens/budget');
    expect(res.status).toBe(200);
    const body = (await res.json()) as BudgetScreenResponse;
    // The 62 days run 2026-01-13 → 03-15: February is the one complete month.
    const rows = landingRows('department_costs', '2026-02-01', '2026-02-01');
    const direct = rows.reduce((s, r) => s + cents(r.amount!), 0);
    expect(body.data.cost).toMatchObject({ months: ['2026-02'], directCents: direct, fullCents: direct });
    const cls = new Map(departments().map((d) => [d.department_id!, d.department_class!]));
    for (const c of ['clinical', 'medical_technical', 'medical_auxiliary', 'administrative'] as const) {
      expect(body.data.cost!.byClass[c]).toBe(rows.filter((r) => cls.get(r.department_id!) === c).reduce((s, r) => s + cents(r.amount!), 0));
    }
    // Every clinical department's full cost, read from its own view, adds up to the direct total; each is at least its own direct cost.
    let full = 0;
    for (const [id, c] of cls) {
      if (c !== 'clinical') continue;
      const view = (await (await request(`/api/departments/${id}`)).json()) as DepartmentResponse;
      const own = rows.filter((r) => r.department_id === id).reduce((s, r) => s + cents(r.amount!), 0);
      const f = Math.round(view.data.finance!.fullCost! * 100);
      expect(f).toBeGreaterThanOrEqual(own);
      expect(Math.round(view.data.finance!.directCost * 100)).toBe(own);
      full += f;
    }
    expect(full).toBe(direct);
  });

  it('reads the year\'s budget with its mid-year adjustment trail, equal to the landing plan and actuals', async () => {
    const body = (await (await request('/api/screens/budget')).json()) as BudgetScreenResponse;
    expect(body.data).toMatchObject({ year: '2026', closedMonth: '2026-02', monthsDone: 1 });
    const detail = (await (await request('/api/screens/budget-lines')).json()) as BudgetLinesResponse;
    expect(detail.asOf).toBe(body.asOf);
    const line = detail.data.lines.find((l) => l.departmentId === 'D205' && l.item === 'personnel')!;
    const plan = landingRows('budget_plan', '2026-01-01', '2026-12-01').filter((r) => r.department_id === 'D205' && r.budget_item === 'personnel');
    const adjusted = new Map(plan.filter((r) => r.version === 'adjusted').map((r) => [r.month, cents(r.amount!)]));
    const original = plan.filter((r) => r.version === 'original');
    expect(original).toHaveLength(12);
    expect(adjusted.size).toBe(6); // July to December
    expect(Math.round(line.originalAnnual * 100)).toBe(original.reduce((s, r) => s + cents(r.amount!), 0));
    expect(Math.round(line.annual * 100)).toBe(original.reduce((s, r) => s + (adjusted.get(r.month!) ?? cents(r.amount!)), 0));
    expect(line.adjustments.map((a) => a.month)).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(line.adjustments[0]!.note).toMatch(/mid-year adjustment/);
    const actual = landingRows('budget_actuals', '2026-02-01', '2026-02-01').find((r) => r.department_id === 'D205' && r.budget_item === 'personnel')!;
    expect(Math.round(line.ytd * 100)).toBe(cents(actual.amount!));
    expect(line.execution).toBeCloseTo(line.ytd / line.annual, 12);
    expect(line.timeProgress).toBeCloseTo(1 / 12, 12);
  });

  it("serves each director's view with the month's workload and wards, and clear errors", async () => {
    const res = await request('/api/departments/D205');
    expect(res.status).toBe(200);
    const view = (await res.json()) as DepartmentResponse;
    expect(view.data.department).toMatchObject({ id: 'D205', cls: 'clinical' });
    const discharges = landingRows('inpatient_cases', '2026-03-01', DEMO_END).filter((c) => c.department_id === 'D205').length;
    expect(view.data.workload.tiles.find((t) => t.kpi === 'discharges')!.value).toBe(discharges);
    const wards = new Set(landingRows('wards', '0000', '9999').filter((w) => w.department_id === 'D205').map((w) => w.ward_id));
    expect(new Set(view.data.wards.map((w) => w.id))).toEqual(wards);
    expect(view.data.indicators.length).toBeGreaterThanOrEqual(6);
    expect(new Set(view.data.indicators.map((i) => i.dimension)).size).toBe(6);
    const missing = await request('/api/departments/NOPE');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ApiError).error.en).toMatch(/department snapshot for NOPE/);
    expect((await request('/api/departments/a%20b')).status).toBe(400);
  });
});

describe('the scheduled nightly run (the aggregate Lambda)', () => {
  it('aggregates the newest ingested night and says how many nights it is behind yesterday', async () => {
    // The demo's newest night is DEMO_END (2026-03-15) and its clock's today is 2026-03-16: on time.
    const onTime = await aggregateLatest(ctx.rt.aggregateDeps);
    expect(onTime).toMatchObject({ asOf: DEMO_END, lagDays: 0 });
    expect(onTime.night?.finance.snapshots).toBeGreaterThan(2);
    // Three days on with no new extracts: the same night, three nights missing (03-16, 03-17, 03-18).
    const late = await aggregateLatest({ ...ctx.rt.aggregateDeps, clock: { now: () => new Date('2026-03-19T02:00:00Z'), today: () => '2026-03-19' } });
    expect(late).toMatchObject({ asOf: DEMO_END, lagDays: 3 });
  });

  it('writes its figures as one CloudWatch embedded-metric line', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const line = JSON.parse(emitMetrics({ NightLagDays: 3, P1AlertsOpened: 1 }, { asOf: '2026-03-31' }, 1_775_000_000_000, { OPSDECK_DEPLOYMENT: 'OpsDeck-h1' }));
    expect(log).toHaveBeenCalledTimes(1);
    log.mockRestore();
    expect(line).toEqual({
      _aws: { Timestamp: 1_775_000_000_000, CloudWatchMetrics: [{ Namespace: 'OpsDeck', Dimensions: [['Deployment']], Metrics: [{ Name: 'NightLagDays', Unit: 'Count' }, { Name: 'P1AlertsOpened', Unit: 'Count' }] }] },
      Deployment: 'OpsDeck-h1', asOf: '2026-03-31', NightLagDays: 3, P1AlertsOpened: 1,
    });
  });
});
