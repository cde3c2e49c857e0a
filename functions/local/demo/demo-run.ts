/** A generation run: its settings and indexes, the reference data, the departments' clinical model and the bookkeeping. */
import { tableSpec } from '../../domain/contract.ts';
import { addDays, toDayNumber } from '../../domain/calendar.ts';
import { SCALES, type Department, type Hospital, type Ward } from './hospital.ts';
import { Rng } from './rng.ts';
import { type GenerateOptions, type DrgRow, BENCHMARK_COST_PER_WEIGHT, FUND_SHARE, cents, yuan, loadBaseRates, type Line, Landing, type MonthTotals } from './demo-common.ts';

/** The run's settings, the hospital's indexes, and where the demo's anomalies fall (relative to the end date). */
export function setUp(opts: GenerateOptions, hospital: Hospital, drgs: DrgRow[], baseRates: Awaited<ReturnType<typeof loadBaseRates>>) {
  const profile = SCALES[opts.scale];
  const days = opts.days ?? profile.days;
  const end = opts.endDate;
  const start = addDays(end, -(days - 1));
  const startDay = toDayNumber(start);
  const endDay = toDayNumber(end);
  const chargeFromDay = Math.max(startDay, endDay - (opts.chargeDays ?? profile.chargeDays) + 1);
  const landing = new Landing(opts.outDir);
  const items = hospital.items;
  const itemIndex = new Map(items.map((it, i) => [it.code, i]));
  const idx = (code: string): number => itemIndex.get(code)!;
  const deptById = new Map(hospital.departments.map((d) => [d.id, d]));
  const groupsByDept = new Map<string, string[]>();
  for (const g of hospital.groups) groupsByDept.set(g.department, [...(groupsByDept.get(g.department) ?? []), g.id]);
  const doctorsByDept = new Map<string, { id: string; title: string }[]>();
  for (const d of hospital.doctors) doctorsByDept.set(d.department, [...(doctorsByDept.get(d.department) ?? []), d]);
  const wardsByDept = new Map<string, Ward[]>();
  for (const w of hospital.wards) wardsByDept.set(w.department, [...(wardsByDept.get(w.department) ?? []), w]);

  // ── anomalies, placed relative to the end date so that every generated hospital has them ──
  const drugJump = { dept: 'D102', item: 'X03', from: addDays(end, -29) };
  const overWard = hospital.wards.find((w) => w.department === 'D102')!;
  const overFrom = addDays(end, -20);
  const dupDay = addDays(end, -3);
  const dupWard = hospital.wards.find((w) => w.department === 'D101')!;
  const dupCases: string[] = [];
  // Five nights before the end, the charge-line extract arrives at 10:25 (4h25m late) and carries six lines of a new
  // drug that the pharmacy has not yet added to the charge-item master: ingest quarantines them as unknown codes.
  const lateNight = addDays(end, -5);
  const NEW_DRUG = 'X99';
  landing.arriveAt('charge_lines', lateNight, new Date(`${addDays(lateNight, 1)}T10:25:00+08:00`));
  // Orthopaedics' health-material spending runs 38% high from three months before the end date's month.
  const endMonth = Number(end.slice(5, 7));
  const overspend = { dept: 'D109', item: 'health_materials', fromMonth: `${end.slice(0, 4)}-${String(Math.max(1, endMonth - 3)).padStart(2, '0')}`, factor: 1.38 };
  /** Running numbers of the generated ids, and the new drug's lines on the late night. */
  const seq = { case: 0, line: 0, visit: 0, surgery: 0, newDrugLines: 0 };
  return { opts, profile, days, hospital, drgs, baseRates, end, start, startDay, endDay, chargeFromDay, landing, items, idx, deptById, groupsByDept, doctorsByDept, wardsByDept, drugJump, overWard, overFrom, dupDay, dupWard, dupCases, lateNight, NEW_DRUG, overspend, seq };
}
export type Run = ReturnType<typeof setUp>;

/** Reference data, delivered once on the first night: campuses to charge items, and each year's DRG tables. */
export function writeReferenceData(r: Run): number[] {
  const { opts, hospital, drgs, baseRates, end, start, landing, items } = r;
  // ── reference data, delivered once on the first night ──
  for (const c of hospital.campuses) landing.add('campuses', start, [c.id, c.zh, c.en]);
  for (const d of hospital.departments) landing.add('departments', start, [d.id, d.zh, d.en, d.cls, d.system, d.campus, '']);
  for (const w of hospital.wards) landing.add('wards', start, [w.id, w.zh, w.en, w.department, w.campus, w.beds]);
  for (const g of hospital.groups) landing.add('doctor_groups', start, [g.id, g.zh, g.en, g.department, g.lead]);
  for (const d of hospital.doctors) landing.add('doctors', start, [d.id, d.name, d.department, d.group ?? '', d.title]);
  for (const it of items) landing.add('charge_items', start, [it.code, it.zh, it.en, it.category, it.unit, it.price.toFixed(2), it.dailyLimit ?? '']);
  const years: number[] = [];
  for (let y = Number(start.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) years.push(y);
  const benchRng = new Rng(opts.seed, 'benchmarks');
  for (const y of years) {
    for (const g of drgs) {
      landing.add('drg_groups', start, [y, g.code, g.adrg, g.mdc, g.name, g.weight.toFixed(4)]);
      const cost = g.weight * BENCHMARK_COST_PER_WEIGHT * (0.92 + 0.16 * benchRng.next());
      const los = Math.max(1.5, (3 + 4.2 * Math.pow(g.weight, 0.6)) * (0.9 + 0.2 * benchRng.next()));
      const mortality = Math.min(0.4, 0.0004 * Math.pow(g.weight, 2.2) * (0.6 + benchRng.next()));
      landing.add('drg_benchmarks', start, [y, g.code, cost.toFixed(2), los.toFixed(2), mortality.toFixed(4)]);
    }
    for (const ins of ['employee', 'resident']) {
      const published = baseRates.filter((r) => r.insurance === ins && r.year <= y).sort((a, b) => b.year - a.year)[0] ?? baseRates.find((r) => r.insurance === ins)!;
      landing.add('drg_base_rates', start, [y, ins, published.rate]);
    }
  }
  landing.flush();
  return years;
}

/** Each department's DRG mix and stays, calibrated so that admissions fill beds to the target occupancy. */
export function clinicalModel(r: Run) {
  const { opts, hospital, drgs, endDay } = r;
  // DRG pools per department: surgical departments take surgical groups (2nd letter A–J), others medical (R–Z) and non-OR (K–Q).
  const drgPool = new Map<string, { rows: DrgRow[]; cumulative: Float64Array }>();
  for (const d of hospital.departments.filter((x) => x.beds > 0)) {
    const rows = drgs.filter((g) => d.mdc.includes(g.mdc) && (d.surgical ? g.code[1]! <= 'J' || g.code[1]! >= 'R' : g.code[1]! >= 'K'));
    const pool = rows.length ? rows : drgs.filter((g) => g.code[1]! >= 'R');
    const cumulative = new Float64Array(pool.length);
    pool.forEach((g, i) => (cumulative[i] = (i ? cumulative[i - 1]! : 0) + (d.surgical && g.code[1]! <= 'J' ? 2.2 : 1) / Math.pow(g.weight, 1.1)));
    drgPool.set(d.id, { rows: pool, cumulative });
  }
  const losScale = (d: Department): number => (d.system === 'emergency_critical' ? 5 : d.surgical ? 7.5 : 8.5) / 8;
  const caseLos = (rng: Rng, weight: number, d: Department): number => Math.max(1, Math.round(rng.lognormal(Math.min(40, (2.5 + 4 * Math.pow(weight, 0.6)) * losScale(d)), 0.45)));
  // Expected stay per department, estimated from its own DRG mix, so that admissions fill beds to the target occupancy.
  const expectedLos = new Map<string, number>();
  for (const d of hospital.departments.filter((x) => x.beds > 0)) {
    const r = new Rng(opts.seed, 'los-calibration', d.id);
    const pool = drgPool.get(d.id)!;
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += caseLos(r, r.cumulative(pool.rows, pool.cumulative).weight, d);
    expectedLos.set(d.id, sum / 4000);
  }
  const meanLos = (d: Department): number => expectedLos.get(d.id)!;
  const occupancyTarget = (d: Department): number => (d.system === 'emergency_critical' ? 0.8 : d.id === 'D207' ? 0.72 : 0.9);
  const trend = (day: number): number => Math.pow(1.05, (day - endDay) / 365);
  return { drgPool, caseLos, meanLos, occupancyTarget, trend };
}
export type Model = ReturnType<typeof clinicalModel>;

/** What each department books per month (revenue, drugs, materials, executed work) and the fee columns of a visit or case. */
export function bookkeeping(r: Run) {
  const { items } = r;
  const monthTotals = new Map<string, MonthTotals>();
  const totals = (month: string, dept: string): MonthTotals => {
    const key = `${month}|${dept}`;
    let t = monthTotals.get(key);
    if (!t) monthTotals.set(key, (t = { revenue: 0, drug: 0, material: 0, executed: 0, discharges: 0, visits: 0 }));
    return t;
  };
  const lineAmount = (l: Line): number => cents(items[l.item]!.price) * l.qty;
  const bookLines = (month: string, dept: string, lines: Line[]): void => {
    const t = totals(month, dept);
    for (const l of lines) {
      const it = items[l.item]!;
      const amt = lineAmount(l);
      t.revenue += amt;
      if (it.category === 'drug') t.drug += amt;
      if (it.category === 'material') t.material += amt;
      if (it.executing) totals(month, it.executing).executed += amt;
    }
  };

  /** The fee columns of a visit or case from its charge lines: one per category, the total, and the fund's share. */
  const feeFields = (table: 'inpatient_cases' | 'outpatient_visits', lines: readonly Line[], insurance: string): string[] => {
    const byCategory: Record<string, number> = {};
    for (const l of lines) byCategory[items[l.item]!.category] = (byCategory[items[l.item]!.category] ?? 0) + lineAmount(l);
    const fees = tableSpec(table).feeSum!.parts.map((p) => byCategory[p.slice('fee_'.length)] ?? 0);
    const total = fees.reduce((s, x) => s + x, 0);
    return [...fees.map(yuan), yuan(total), yuan(Math.round(total * FUND_SHARE[table][insurance]!))];
  };
  return { totals, lineAmount, bookLines, feeFields };
}
export type Books = ReturnType<typeof bookkeeping>;
