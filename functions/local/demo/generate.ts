/**
 * Generates the demo hospital's nightly extracts into the landing layout (landing/<table>/dt=YYYY-MM-DD/<table>-<dt>.csv),
 * deterministically from a seed. Inpatient fees are the sum of the case's charge lines, so every figure can be traced down.
 */
import { readFile } from 'node:fs/promises';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableSpec } from '../../domain/contract.ts';
import { addDays, daysInMonth, fromDayNumber, shiftMonths, toDayNumber, weekday } from '../../domain/calendar.ts';
import { csvField, parseCsv } from '../../lake/csv.ts';
import { buildHospital, SCALES, type ChargeItem, type Department, type Hospital, type Scale, type Ward } from './hospital.ts';
import { Rng } from './rng.ts';

export interface GenerateOptions {
  outDir: string;
  seed: number;
  scale: Scale;
  /** Last night of data (normally yesterday). */
  endDate: string;
  days?: number;
  /** Days of charge lines to write, counted back from the end date (default: the scale's). */
  chargeDays?: number;
  regionDir: string;
  onProgress?: (done: number, total: number) => void;
}

export interface Anomaly {
  kind: 'drug_use_jump' | 'duplicate_charges' | 'budget_overspend' | 'ward_over_capacity' | 'late_extract';
  zh: string;
  en: string;
  entity: string;
  from: string;
  to: string;
  detail: Record<string, string | number>;
}

export interface DemoManifest {
  generator: string;
  seed: number;
  scale: Scale;
  startDate: string;
  endDate: string;
  chargeLinesFrom: string;
  rows: Record<string, number>;
  anomalies: Anomaly[];
}

interface DrgRow { code: string; adrg: string; mdc: string; name: string; weight: number }

const LUNAR_NEW_YEAR = ['2022-02-01', '2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'];
/** Monday-heavy outpatient week, quiet weekend. Index = weekday (0 = Sunday). */
const OPD_WEEK = [0.45, 1.22, 1.1, 1.04, 1.02, 0.98, 0.6];
const ADMIT_WEEK = [0.55, 1.3, 1.18, 1.1, 1.05, 1.0, 0.7];
const BENCHMARK_COST_PER_WEIGHT = 14_000;
/** Share of a bill the insurance fund pays (demo figures; real settlement rules are regional). */
const FUND_SHARE: Record<'inpatient_cases' | 'outpatient_visits', Record<string, number>> = {
  inpatient_cases: { employee: 0.72, resident: 0.58, self_pay: 0 },
  outpatient_visits: { employee: 0.5, resident: 0.35, self_pay: 0 },
};
const cents = (yuan: number): number => Math.round(yuan * 100);
const yuan = (c: number): string => (c / 100).toFixed(2);

/** A region file in the data contract's form, as records by column name. */
async function regionTable(regionDir: string, table: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = [...parseCsv(await readFile(join(regionDir, `${table}.csv`), 'utf8'))].map((r) => r.fields);
  return rows.map((f) => Object.fromEntries(header!.map((h, i) => [h, f[i] ?? ''])));
}

async function loadDrgGroups(regionDir: string): Promise<DrgRow[]> {
  // The newest year's table (the demo applies it to every year it generates).
  const rows = await regionTable(regionDir, 'drg_groups');
  const newest = Math.max(...rows.map((r) => Number(r.year)));
  return rows.filter((r) => Number(r.year) === newest).map((r) => ({ code: r.drg_code!, adrg: r.adrg_code!, mdc: r.mdc!, name: r.name_zh!, weight: Number(r.weight) }));
}

async function loadBaseRates(regionDir: string): Promise<{ year: number; insurance: string; rate: string }[]> {
  return (await regionTable(regionDir, 'drg_base_rates')).map((r) => ({ year: Number(r.year), insurance: r.insurance_type!, rate: Number(r.base_rate).toFixed(2) }));
}

function seasonFactor(date: string, dept: Department): number {
  const month = Number(date.slice(5, 7));
  let f = 1;
  if (/[ES]/.test(dept.mdc) || dept.id === 'D203') f *= month === 12 || month <= 2 ? 1.3 : month >= 6 && month <= 8 ? 0.88 : 1;
  const day = toDayNumber(date);
  for (const lny of LUNAR_NEW_YEAR) {
    const off = day - toDayNumber(lny);
    if (off >= -6 && off <= 9) f *= 0.5 + 0.03 * Math.abs(off - 2);
  }
  if (date.slice(5) >= '10-01' && date.slice(5) <= '10-07') f *= 0.62;
  return f;
}

interface Line { item: number; qty: number }
interface InpatientCase {
  id: string; patient: string; admit: number; discharge: number; ward: Ward; dept: Department; group: string;
  drg?: DrgRow; insurance: string; outcome: string; surgeryDay?: number; surgeryLevel?: number;
  days: Line[][];
}

/**
 * When the hospital's systems drop a night's file (hospital time, UTC+8): daily extracts between 01:00 and 03:00 the
 * morning after, one source after another; monthly closing on the 5th of the next month; reference data on its night.
 * Ingest orders deliveries by this time and measures lateness against it.
 */
export function deliveryTime(table: string, night: string): Date {
  const spec = tableSpec(table);
  const order = ['outpatient_visits', 'inpatient_cases', 'charge_lines', 'bed_census', 'surgeries'].indexOf(table);
  if (spec.kind === 'daily') return new Date(`${addDays(night, 1)}T01:${String(10 + order * 10).padStart(2, '0')}:00+08:00`);
  if (spec.kind === 'monthly') return new Date(`${shiftMonths(night, 1).slice(0, 8)}05T04:00:00+08:00`);
  return new Date(`${night}T23:30:00+08:00`);
}

class Landing {
  private buffers = new Map<string, string[]>();
  /** Files that arrive at another time than `deliveryTime` says (the late-extract anomaly). */
  private readonly arrivals = new Map<string, Date>();
  readonly rows: Record<string, number> = {};
  constructor(private readonly outDir: string) {}

  arriveAt(table: string, dt: string, at: Date): void {
    this.arrivals.set(`${table}\u0000${dt}`, at);
  }

  add(table: string, dt: string, values: readonly (string | number)[]): void {
    const key = `${table}\u0000${dt}`;
    let buf = this.buffers.get(key);
    if (!buf) {
      buf = [tableSpec(table).columns.map((c) => c.name).join(',')];
      this.buffers.set(key, buf);
    }
    // join() yields flat strings; `+=` would build ropes that cost seconds to flatten at write time.
    const parts = new Array<string>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      parts[i] = typeof v === 'number' ? String(v) : csvField(v);
    }
    buf.push(parts.join(','));
    this.rows[table] = (this.rows[table] ?? 0) + 1;
  }

  /** Writes every buffered file whose night is `dt` (or all, when omitted). */
  flush(dt?: string): void {
    for (const [key, lines] of this.buffers) {
      const [table, night] = key.split('\u0000') as [string, string];
      if (dt !== undefined && night !== dt) continue;
      const dir = join(this.outDir, 'landing', table, `dt=${night}`);
      mkdirSync(dir, { recursive: true });
      lines.push('');
      const file = join(dir, `${table}-${night.replaceAll('-', '')}.csv`);
      writeFileSync(file, lines.join('\n'));
      const at = this.arrivals.get(key) ?? deliveryTime(table, night);
      utimesSync(file, at, at);
      this.buffers.delete(key);
    }
  }
}

interface MonthTotals { revenue: number; drug: number; material: number; executed: number; discharges: number; visits: number }

export async function generateDemoHospital(opts: GenerateOptions): Promise<DemoManifest> {
  const profile = SCALES[opts.scale];
  const days = opts.days ?? profile.days;
  const hospital: Hospital = buildHospital(opts.seed, opts.scale);
  const drgs = await loadDrgGroups(opts.regionDir);
  const baseRates = await loadBaseRates(opts.regionDir);
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
  let newDrugLines = 0;
  landing.arriveAt('charge_lines', lateNight, new Date(`${addDays(lateNight, 1)}T10:25:00+08:00`));
  // Orthopaedics' health-material spending runs 38% high from three months before the end date's month.
  const endMonth = Number(end.slice(5, 7));
  const overspend = { dept: 'D109', item: 'health_materials', fromMonth: `${end.slice(0, 4)}-${String(Math.max(1, endMonth - 3)).padStart(2, '0')}`, factor: 1.38 };

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

  // ── inpatients: each case's whole stay and its charge lines are drawn at admission ──
  const inflight = new Map<string, InpatientCase[]>(hospital.wards.map((w) => [w.id, []]));
  let caseSeq = 0;
  const admitCase = (rng: Rng, day: number, ward: Ward): InpatientCase => {
    const dept = deptById.get(ward.department)!;
    const date = fromDayNumber(day);
    const pool = drgPool.get(dept.id)!;
    const grouped = rng.chance(0.975);
    const drg = rng.cumulative(pool.rows, pool.cumulative);
    const weight = drg.weight;
    let los = caseLos(rng, weight, dept);
    // About 1.5% of stays are complicated (infection, a second operation, ICU days): twice as long and 2.8–4.4× the
    // usual cost, which is where a hospital's high-multiple (高倍率) DRG cases come from.
    const complicated = rng.chance(0.015);
    if (complicated) los = los * 2 + 2;
    const discharge = day + los;
    const target = cents(weight * BENCHMARK_COST_PER_WEIGHT * dept.costFactor * rng.lognormal(1, 0.28) * (complicated ? 2.8 + 1.6 * rng.next() : 1));
    const surgicalDrg = drg.code[1]! <= 'J';
    const surgeryDay = surgicalDrg ? day + Math.min(los - 1, rng.int(0, 2)) : undefined;
    const surgeryLevel = surgicalDrg ? Math.min(4, Math.max(1, Math.round(1 + weight * 1.1 + rng.next()))) : undefined;
    const deathP = 0.0006 * Math.pow(weight, 2) + (dept.system === 'emergency_critical' ? 0.03 : 0);
    const outcome = rng.chance(deathP) ? 'death' : rng.weighted(['cured', 'improved', 'not_cured', 'other'], [45, 47, 4, 4]);
    const c: InpatientCase = {
      id: `Z${date.replaceAll('-', '').slice(2)}${String(++caseSeq).padStart(6, '0')}`,
      // Pseudonymised ids from a pool of 10^8: a smaller pool made two concurrent inpatients share an id at scale l.
      patient: `P${String(rng.int(1, 99_999_999)).padStart(8, '0')}`,
      admit: day, discharge, ward, dept, group: rng.pick(groupsByDept.get(dept.id)!),
      drg: grouped ? drg : undefined,
      insurance: rng.weighted(['employee', 'resident', 'self_pay'], [48, 44, 8]),
      outcome, surgeryDay, surgeryLevel, days: [],
    };
    // Daily lines; drug, lab and treatment quantities scale so the stay lands near its target cost.
    const icu = dept.system === 'emergency_critical';
    const perDayVariable = Math.max(0, target / los - cents(icu ? 260 + 28 + 20 + 8 : 45 + 28 + 20 + 8));
    const drugShare = dept.surgical ? 0.2 : 0.32;
    const materialShare = dept.surgical ? 0.2 : 0.1;
    const drugs = dept.id === 'D205' ? ['X10', 'X05', 'X06'] : dept.id === 'D304' ? ['X15', 'X05'] : ['X03', 'X04', 'X05', 'X06', 'X07', 'X08', 'X09', 'X01', 'X02', 'X14'];
    for (let k = 0; k < los; k++) {
      const lines: Line[] = [
        { item: idx(icu ? 'B03' : 'B01'), qty: 1 }, { item: idx('B02'), qty: 1 }, { item: idx('B04'), qty: 1 }, { item: idx('Z01'), qty: 1 },
      ];
      const drugBudget = perDayVariable * drugShare * (k === 0 ? 0.6 : 1);
      const d1 = idx(rng.pick(drugs));
      const d2 = idx(rng.pick(drugs));
      lines.push({ item: d1, qty: Math.max(1, Math.round((drugBudget * 0.6) / cents(items[d1]!.price))) });
      lines.push({ item: d2, qty: Math.max(1, Math.round((drugBudget * 0.4) / cents(items[d2]!.price))) });
      if (dept.id === drugJump.dept && fromDayNumber(day + k) >= drugJump.from) lines.push({ item: idx(drugJump.item), qty: 3 * rng.int(2, 4) });
      lines.push({ item: idx('T01'), qty: rng.int(1, 3) }, { item: idx('M01'), qty: rng.int(1, 3) }, { item: idx('M02'), qty: rng.int(2, 6) });
      lines.push({ item: idx('M09'), qty: Math.max(1, Math.round((perDayVariable * materialShare) / cents(items[idx('M09')]!.price))) });
      if (icu || weight > 2.5) lines.push({ item: idx('T04'), qty: 24 }, { item: idx('T03'), qty: rng.int(6, 24) });
      if (k === 0 || rng.chance(0.35)) lines.push({ item: idx('L01'), qty: 1 }, { item: idx('L02'), qty: 1 });
      if (k === 0) lines.push({ item: idx('L03'), qty: 1 }, { item: idx('L06'), qty: 1 }, { item: idx('E04'), qty: 1 });
      if (k === 0 || (k === 1 && rng.chance(0.5))) lines.push({ item: idx(rng.pick(['E01', 'E02', 'E03', 'E05'])), qty: 1 });
      if (dept.id === 'D208') lines.push({ item: idx('T07'), qty: 2 }, { item: idx('T06'), qty: 1 });
      if (dept.id === 'D106' && k % 2 === 0) lines.push({ item: idx('T05'), qty: 1 });
      if (surgeryDay === day + k && surgeryLevel) {
        lines.push({ item: idx(`S0${surgeryLevel}`), qty: 1 }, { item: idx('S05'), qty: 1 }, { item: idx('M03'), qty: 2 }, { item: idx('E07'), qty: 1 }, { item: idx('X16'), qty: 2 });
        const implant = dept.id === 'D109' ? 'M05' : dept.id === 'D101' || dept.id === 'D111' ? 'M04' : dept.id === 'D115' ? 'M07' : 'M06';
        if (weight > 0.9 || dept.id === 'D115') lines.push({ item: idx(implant), qty: dept.id === 'D101' ? rng.int(1, 2) : 1 });
      }
      if (k > 0 && dept.surgical && rng.chance(0.5)) lines.push({ item: idx('T02'), qty: 1 });
      if (profile.lineDetail > 1) for (let x = 1; x < profile.lineDetail; x++) lines.push({ item: idx('M02'), qty: 1 }, { item: idx('T01'), qty: 1 });
      c.days.push(lines);
    }
    if (ward.id === dupWard.id && dupCases.length < 3) {
      const k = toDayNumber(dupDay) - day;
      if (k >= 0 && k < los) {
        c.days[k]!.push({ item: idx('B01'), qty: 1 }, { item: idx('E01'), qty: 1 }, { item: idx('E01'), qty: 2 });
        dupCases.push(c.id);
      }
    }
    return c;
  };

  /** The fee columns of a visit or case from its charge lines: one per category, the total, and the fund's share. */
  const feeFields = (table: 'inpatient_cases' | 'outpatient_visits', lines: readonly Line[], insurance: string): string[] => {
    const byCategory: Record<string, number> = {};
    for (const l of lines) byCategory[items[l.item]!.category] = (byCategory[items[l.item]!.category] ?? 0) + lineAmount(l);
    const fees = tableSpec(table).feeSum!.parts.map((p) => byCategory[p.slice('fee_'.length)] ?? 0);
    const total = fees.reduce((s, x) => s + x, 0);
    return [...fees.map(yuan), yuan(total), yuan(Math.round(total * FUND_SHARE[table][insurance]!))];
  };

  let lineSeq = 0;
  let visitSeq = 0;
  let surgerySeq = 0;
  const emitLines = (dt: string, sourceType: string, sourceId: string, patient: string, dept: string, lines: Line[]): void => {
    for (const l of lines) {
      const it: ChargeItem = items[l.item]!;
      const unknown = dt === lateNight && it.category === 'drug' && it.code !== drugJump.item && newDrugLines < 6 && ++newDrugLines > 0;
      landing.add('charge_lines', dt, [`L${dt.replaceAll('-', '')}${String(++lineSeq).padStart(8, '0')}`, sourceType, sourceId, patient, unknown ? NEW_DRUG : it.code, it.category,
        l.qty, it.price.toFixed(2), yuan(lineAmount(l)), dept, it.executing ?? dept, dt]);
    }
  };

  const warmup = 75;
  const total = endDay - startDay + 1;
  for (let day = startDay - warmup; day <= endDay; day++) {
    const dt = fromDayNumber(day);
    const inWindow = day >= startDay;
    const month = dt.slice(0, 7);
    const dayRng = new Rng(opts.seed, 'day', day);
    // Discharges, then admissions, then the midnight census.
    for (const ward of hospital.wards) {
      const dept = deptById.get(ward.department)!;
      const list = inflight.get(ward.id)!;
      let discharges = 0;
      for (let i = list.length - 1; i >= 0; i--) {
        const c = list[i]!;
        if (c.discharge !== day) continue;
        list.splice(i, 1);
        discharges++;
        if (!inWindow) continue;
        const stay = c.days.flat();
        landing.add('inpatient_cases', dt, [c.id, c.patient, fromDayNumber(c.admit), dt, ward.campus, dept.id, ward.id, c.group, c.drg?.code ?? '', c.discharge - c.admit,
          c.outcome, c.insurance, ...feeFields('inpatient_cases', stay, c.insurance)]);
        totals(month, dept.id).discharges++;
        bookLines(month, dept.id, stay);
      }
      const occ = occupancyTarget(dept);
      const surge = ward.id === overWard.id && dt >= overFrom ? 1.75 : 1;
      const lambda = ((ward.beds * occ) / meanLos(dept)) * ADMIT_WEEK[weekday(dt)]! * (0.75 + 0.25 * seasonFactor(dt, dept)) * trend(day) * surge;
      const wardRng = new Rng(opts.seed, 'admit', day, ward.id);
      const n = wardRng.poisson(lambda);
      for (let k = 0; k < n; k++) list.push(admitCase(wardRng, day, ward));
      if (inWindow) {
        landing.add('bed_census', dt, [dt, ward.id, ward.campus, dept.id, ward.beds, list.length, n, discharges]);
        for (const c of list) {
          if (c.surgeryDay === day) {
            landing.add('surgeries', dt, [`OP${dt.replaceAll('-', '')}${String(++surgerySeq).padStart(5, '0')}`, dt, ward.campus, dept.id, c.id, c.patient, c.surgeryLevel!, 'false']);
          }
          if (day >= chargeFromDay) emitLines(dt, 'inpatient', c.id, c.patient, dept.id, c.days[day - c.admit]!);
        }
      }
    }
    if (!inWindow) continue;

    // Outpatient and emergency visits.
    for (const dept of hospital.departments) {
      const emergencyDept = dept.id === 'D114';
      if (dept.opd === 0 && !emergencyDept) continue;
      const base = emergencyDept ? 240 * profile.size : dept.opd * OPD_WEEK[weekday(dt)]!;
      const n = dayRng.poisson(base * seasonFactor(dt, dept) * trend(day));
      const doctors = doctorsByDept.get(dept.id)!;
      for (let k = 0; k < n; k++) {
        const emergency = emergencyDept || (dept.id === 'D203' && dayRng.chance(0.15));
        const doc = dayRng.pick(doctors);
        const lines: Line[] = [{ item: idx(emergency ? 'R04' : doc.title === 'chief' ? 'R03' : doc.title === 'associate_chief' ? 'R02' : 'R01'), qty: 1 }];
        if (dayRng.chance(0.62)) {
          const pool = dept.id === 'D304' ? ['X15'] : dept.id === 'D203' ? ['X11', 'X12', 'X13'] : ['X01', 'X02', 'X11', 'X14', 'X13', 'X06', 'X09'];
          const kinds = dayRng.int(1, 2);
          for (let j = 0; j < kinds; j++) {
            const it = idx(dayRng.pick(pool));
            lines.push({ item: it, qty: Math.max(1, Math.round(dayRng.lognormal(38, 0.6) / items[it]!.price)) });
          }
        }
        if (dayRng.chance(emergency ? 0.7 : 0.38)) lines.push({ item: idx('L01'), qty: 1 }, ...(dayRng.chance(0.5) ? [{ item: idx('L02'), qty: 1 }] : []));
        if (dayRng.chance(emergency ? 0.45 : 0.22)) lines.push({ item: idx(dayRng.pick(['E01', 'E03', 'E04', 'E05', 'E02'])), qty: 1 });
        if (dayRng.chance(emergency ? 0.5 : 0.15)) lines.push({ item: idx('T01'), qty: dayRng.int(1, 2) }, { item: idx('M01'), qty: 1 }, { item: idx('M09'), qty: dayRng.int(1, 4) });
        if (dept.surgical && dayRng.chance(0.06)) lines.push({ item: idx('S01'), qty: 1 }, { item: idx('M03'), qty: 1 });
        if (dept.id === 'D304' && dayRng.chance(0.4)) lines.push({ item: idx('T06'), qty: 1 });
        const visitId = `V${dt.replaceAll('-', '').slice(2)}${String(++visitSeq).padStart(7, '0')}`;
        const patient = `P${String(dayRng.int(1, 99_999_999)).padStart(8, '0')}`;
        const insurance = dayRng.weighted(['employee', 'resident', 'self_pay'], [45, 38, 17]);
        landing.add('outpatient_visits', dt, [visitId, dt, emergency ? 'emergency' : 'outpatient', dept.campus, dept.id, doc.id, patient, insurance,
          ...feeFields('outpatient_visits', lines, insurance)]);
        totals(month, dept.id).visits++;
        bookLines(month, dept.id, lines);
        if (day >= chargeFromDay) emitLines(dt, 'outpatient', visitId, patient, dept.id, lines);
      }
    }
    landing.flush(dt);
    opts.onProgress?.(day - startDay + 1, total);
  }

  // ── monthly facts for every complete month, delivered into the month's first-day partition ──
  const months: string[] = [];
  for (let y = Number(start.slice(0, 4)), m = Number(start.slice(5, 7)); ; ) {
    const mm = `${y}-${String(m).padStart(2, '0')}`;
    if (`${mm}-${String(daysInMonth(y, m)).padStart(2, '0')}` > end) break;
    if (`${mm}-01` >= start) months.push(mm);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  const costRng = new Rng(opts.seed, 'costs');
  const actuals = new Map<string, number>(); // month|dept|item → cents
  const setActual = (mm: string, dept: string, item: string, v: number): void => void actuals.set(`${mm}|${dept}|${item}`, v);
  for (const mm of months) {
    const monthNo = Number(mm.slice(5, 7));
    const seasonalEnergy = monthNo >= 6 && monthNo <= 8 ? 1.3 : monthNo === 12 || monthNo <= 2 ? 1.25 : 1;
    for (const d of hospital.departments) {
      const t = totals(mm, d.id);
      const doctors = (doctorsByDept.get(d.id) ?? []).length;
      const nurses = d.cls === 'clinical' ? Math.round(d.beds * 0.45 + d.opd / 50 + 1) : 0;
      const headcount = d.cls === 'clinical' ? doctors + nurses + 2 : d.staff ?? 5;
      const area = d.cls === 'clinical' ? d.beds * 42 + d.opd * 2.5 + 150 : headcount * (d.cls === 'medical_technical' ? 28 : 12);
      const kwh = area * (d.cls === 'medical_technical' ? 32 : d.cls === 'clinical' ? 15 : 8) * seasonalEnergy * (0.95 + 0.1 * costRng.next());
      const energyCost = cents(kwh * 0.92);
      landing.add('department_resources', `${mm}-01`, [mm, d.id, headcount, doctors, nurses, area.toFixed(2), kwh.toFixed(2), yuan(energyCost)]);
      const bonus = monthNo === 1 ? 1.35 : monthNo === 12 ? 1.15 : 1;
      // Monthly cost of a post incl. social insurance and housing fund (a tertiary hospital in Heilongjiang): doctor, nurse, other staff.
      const personnel = cents((doctors * 15_000 + nurses * 8_500 + (headcount - doctors - nurses) * 7_000) * bonus * (0.98 + 0.04 * costRng.next()));
      const revenue = d.cls === 'medical_technical' ? t.executed : t.revenue;
      let materials = d.cls === 'clinical' ? t.material : d.cls === 'medical_technical' ? Math.round(t.executed * 0.12) : cents(headcount * 300);
      if (d.id === overspend.dept && mm >= overspend.fromMonth) materials = Math.round(materials * overspend.factor);
      const elements: Record<string, number> = {
        personnel,
        health_materials: materials,
        drugs: d.cls === 'clinical' ? t.drug : 0,
        depreciation: cents(d.cls === 'clinical' ? d.beds * 900 + d.opd * 15 + 12_000 : headcount * (d.cls === 'medical_technical' ? 4_000 : 1_000)),
        amortisation: cents(headcount * 260),
        risk_fund: Math.round(revenue * 0.001),
        other_operating: Math.round(revenue * 0.025) + cents(headcount * 800),
      };
      for (const [el, amount] of Object.entries(elements)) landing.add('department_costs', `${mm}-01`, [mm, d.id, el, yuan(amount)]);
      // Revenue is budgeted where it is ordered (the clinical departments), so that departments add up to the hospital.
      if (d.cls === 'clinical' && revenue > 0) setActual(mm, d.id, 'medical_revenue', revenue);
      setActual(mm, d.id, 'personnel', personnel);
      if (materials > 0) setActual(mm, d.id, 'health_materials', materials);
      if (elements.drugs! > 0) setActual(mm, d.id, 'drugs', elements.drugs!);
      setActual(mm, d.id, 'operating', elements.other_operating!);
      setActual(mm, d.id, 'utilities', energyCost);
    }
  }
  const ITEM_TYPE: Record<string, string> = { medical_revenue: 'revenue', personnel: 'expense', health_materials: 'expense', drugs: 'expense', operating: 'expense', utilities: 'expense' };
  for (const [key, amount] of actuals) {
    const [mm, dept, item] = key.split('|') as [string, string, string];
    landing.add('budget_actuals', `${mm}-01`, [mm, dept, item, ITEM_TYPE[item]!, yuan(amount)]);
  }
  // Budgets: each year's month = the same month a year earlier +5% (or this year's own figure where there is no earlier one).
  const budgetRng = new Rng(opts.seed, 'budget');
  const itemsByDept = new Map<string, Set<string>>();
  for (const key of actuals.keys()) {
    const [, dept, item] = key.split('|') as [string, string, string];
    itemsByDept.set(dept, (itemsByDept.get(dept) ?? new Set()).add(item));
  }
  for (const y of years) {
    for (const [dept, itemSet] of itemsByDept) {
      for (const item of itemSet) {
        // A budget covers the whole year: months with no history of their own take the average of those that have one.
        const bases = Array.from({ length: 12 }, (_, i) => {
          const mm = `${y}-${String(i + 1).padStart(2, '0')}`;
          const prev = actuals.get(`${y - 1}-${mm.slice(5)}|${dept}|${item}`);
          const own = actuals.get(`${mm}|${dept}|${item}`);
          return prev !== undefined ? Math.round(prev * 1.05) : own;
        });
        const known = bases.filter((b): b is number => b !== undefined);
        if (known.length === 0) continue;
        const average = Math.round(known.reduce((a, b) => a + b, 0) / known.length);
        for (let m = 1; m <= 12; m++) {
          const mm = `${y}-${String(m).padStart(2, '0')}`;
          // …but no plan before the demo's first month (it would land in partitions older than the hospital's first night).
          const basis = bases[m - 1] ?? (mm >= start.slice(0, 7) ? average : undefined);
          if (basis === undefined) continue;
          const original = Math.round(basis * (0.97 + 0.06 * budgetRng.next()));
          landing.add('budget_plan', `${mm}-01`, [mm, dept, item, ITEM_TYPE[item]!, 'original', yuan(original), '']);
          if ((dept === 'D205' || dept === 'D101') && m >= 7 && item !== 'medical_revenue') {
            landing.add('budget_plan', `${mm}-01`, [mm, dept, item, ITEM_TYPE[item]!, 'adjusted', yuan(Math.round(original * 1.06)), '年中预算调整：新增设备及人员 mid-year adjustment: new equipment and staff']);
          }
        }
      }
    }
  }
  landing.flush();

  const anomalies: Anomaly[] = [
    { kind: 'drug_use_jump', zh: `${deptById.get(drugJump.dept)!.zh} 注射用头孢哌酮钠舒巴坦钠用量较上月激增`, en: `${deptById.get(drugJump.dept)!.en}: cefoperazone-sulbactam use jumps month on month`,
      entity: `${drugJump.dept}/${drugJump.item}`, from: drugJump.from, to: end, detail: { extraQuantityPerPatientDay: '6–12' } },
    { kind: 'duplicate_charges', zh: `${dupWard.zh} 3 名患者同日重复收取床位费与 CT 费用`, en: `${dupWard.en}: bed and CT fees charged twice on one day for 3 patients`,
      entity: dupWard.id, from: dupDay, to: dupDay, detail: { cases: dupCases.join(' '), items: 'B01 E01' } },
    { kind: 'budget_overspend', zh: `${deptById.get(overspend.dept)!.zh} 卫生材料费支出超预算约 ${Math.round((overspend.factor - 1) * 100)}%`, en: `${deptById.get(overspend.dept)!.en}: health-material spending ~${Math.round((overspend.factor - 1) * 100)}% over budget`,
      entity: `${overspend.dept}/${overspend.item}`, from: `${overspend.fromMonth}-01`, to: end, detail: { factor: overspend.factor } },
    { kind: 'ward_over_capacity', zh: `${overWard.zh} 加床收治，床位使用率超过 100%`, en: `${overWard.en}: extra beds, occupancy above 100%`,
      entity: overWard.id, from: overFrom, to: end, detail: { openBeds: overWard.beds, admissionRateFactor: 1.75 } },
    { kind: 'late_extract', zh: `${lateNight} 的收费明细晚到 4 小时 25 分，含 ${newDrugLines} 行未入字典的新药 ${NEW_DRUG}`, en: `Charge lines for ${lateNight} arrived 4h25m late with ${newDrugLines} lines of a new drug ${NEW_DRUG} missing from the item master`,
      entity: 'charge_lines', from: lateNight, to: lateNight, detail: { lateMinutes: 265, unknownItemLines: newDrugLines } },
  ];
  return {
    generator: 'opsdeck-demo/1', seed: opts.seed, scale: opts.scale, startDate: start, endDate: end,
    chargeLinesFrom: fromDayNumber(chargeFromDay), rows: landing.rows, anomalies,
  };
}
