/**
 * The campus operating screen (院区运营大屏): from daily sums per campus to KPI tiles for the hospital and each campus,
 * month-to-date with calendar-aligned YoY (同比) and MoM (环比), the as-of day's value and a 30-day trend.
 */
import { addDays, daysInMonth, monthStart, shiftMonths } from './calendar.ts';
import { KPI_CATALOG, type KpiDefinition } from './kpi-catalog.ts';

/** Additive figures of one campus on one day; every KPI is computed from sums of these. */
export interface DayFigures {
  outpatientVisits: number;
  emergencyVisits: number;
  outpatientRevenue: number;
  admissions: number;
  discharges: number;
  losDays: number;
  inpatientRevenue: number;
  occupiedBeds: number;
  openBeds: number;
  surgeries: number;
  drugRevenue: number;
  materialRevenue: number;
  examRevenue: number;
  labRevenue: number;
}

export const EMPTY_DAY: DayFigures = {
  outpatientVisits: 0, emergencyVisits: 0, outpatientRevenue: 0, admissions: 0, discharges: 0, losDays: 0, inpatientRevenue: 0,
  occupiedBeds: 0, openBeds: 0, surgeries: 0, drugRevenue: 0, materialRevenue: 0, examRevenue: 0, labRevenue: 0,
};

/** Figures by campus id, then by date. */
export type DailyFigures = Map<string, Map<string, DayFigures>>;

export interface Period {
  from: string;
  to: string;
}

export interface Comparison {
  period: Period;
  value: number | null;
  /** Relative change (0.05 = +5%) for flows and money; percentage points for percentages. */
  change: number | null;
  changeKind: 'relative' | 'points';
}

export interface KpiTile {
  kpi: string;
  value: number | null;
  period: Period;
  /** The period covers only part of its month (month to date). */
  partial: boolean;
  day: number | null;
  yoy: Comparison;
  mom: Comparison;
  trend: { date: string; value: number | null }[];
}

export interface CampusScope {
  scope: string;
  zh: string;
  en: string;
  tiles: KpiTile[];
  /** Revenue structure over the month to date, CNY. */
  revenueStructure: { drug: number; material: number; exam: number; lab: number; service: number };
}

export interface CampusScreenData {
  asOf: string;
  period: Period;
  scopes: CampusScope[];
}

function addInto(target: DayFigures, f: DayFigures): void {
  for (const k of Object.keys(target) as (keyof DayFigures)[]) target[k] += f[k];
}

/** Sums the figures of the given campuses over [from, to]; `last` is the figures of the last day (for stocks). */
export function sumPeriod(daily: DailyFigures, campusIds: readonly string[], period: Period): { sum: DayFigures; last: DayFigures; days: number } {
  const sum = { ...EMPTY_DAY };
  const last = { ...EMPTY_DAY };
  let days = 0;
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) {
    let any = false;
    for (const id of campusIds) {
      const f = daily.get(id)?.get(d);
      if (!f) continue;
      any = true;
      addInto(sum, f);
      if (d === period.to) addInto(last, f);
    }
    if (any) days++;
  }
  return { sum, last, days };
}

/** A KPI as numerator ÷ denominator × scale (a flow or stock has no denominator): the parts an analyst checks a figure by. */
export interface KpiParts {
  numerator: number;
  denominator: number | null;
  scale: number;
}

/** The KPI's parts from a period's sums (and its last day, for stocks): the one place each formula is written. */
export function kpiParts(id: string, sum: DayFigures, last: DayFigures): KpiParts {
  const revenue = sum.outpatientRevenue + sum.inpatientRevenue;
  const flow = (n: number): KpiParts => ({ numerator: n, denominator: null, scale: 1 });
  const of = (numerator: number, denominator: number, scale = 1): KpiParts => ({ numerator, denominator, scale });
  switch (id) {
    case 'outpatient_visits': return flow(sum.outpatientVisits);
    case 'emergency_visits': return flow(sum.emergencyVisits);
    case 'admissions': return flow(sum.admissions);
    case 'discharges': return flow(sum.discharges);
    case 'inpatients': return flow(last.occupiedBeds);
    case 'bed_occupancy': return of(sum.occupiedBeds, sum.openBeds, 100);
    case 'surgeries': return flow(sum.surgeries);
    case 'medical_revenue': return flow(revenue);
    case 'drug_share': return of(sum.drugRevenue, revenue, 100);
    case 'materials_per_100': return of(sum.materialRevenue, revenue - sum.drugRevenue, 100);
    case 'medical_service_share': return of(revenue - sum.drugRevenue - sum.materialRevenue - sum.examRevenue - sum.labRevenue, revenue, 100);
    case 'avg_los': return of(sum.losDays, sum.discharges);
    case 'outpatient_fee_per_visit': return of(sum.outpatientRevenue, sum.outpatientVisits + sum.emergencyVisits);
    case 'inpatient_fee_per_discharge': return of(sum.inpatientRevenue, sum.discharges);
    default: throw new Error(`no formula over daily figures for KPI "${id}"`);
  }
}

export const partsValue = (p: KpiParts): number | null => (p.denominator === null ? p.numerator : p.denominator === 0 ? null : (p.numerator / p.denominator) * p.scale);

/** The KPI's value from a period's sums (and its last day, for stocks). */
export function kpiValue(id: string, sum: DayFigures, last: DayFigures): number | null {
  return partsValue(kpiParts(id, sum, last));
}

/** Month to date, the same span a year earlier, and the same span of the previous month (clamped to its length). */
export function comparisonPeriods(asOf: string): { current: Period; yoy: Period; mom: Period; partial: boolean } {
  const from = monthStart(asOf);
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7));
  return {
    current: { from, to: asOf },
    yoy: { from: shiftMonths(from, -12), to: shiftMonths(asOf, -12) },
    mom: { from: shiftMonths(from, -1), to: shiftMonths(asOf, -1) },
    partial: Number(asOf.slice(8, 10)) < daysInMonth(y, m),
  };
}

function compare(def: KpiDefinition, current: number | null, previous: number | null, period: Period): Comparison {
  const changeKind = def.unit === 'percent' ? 'points' : 'relative';
  let change: number | null = null;
  if (current !== null && previous !== null) {
    change = changeKind === 'points' ? current - previous : previous === 0 ? null : (current - previous) / previous;
  }
  return { period, value: previous, change, changeKind };
}

/** Days of daily values in each tile's trend line, ending on the as-of date. */
export const TREND_DAYS = 30;

export const CAMPUS_SCREEN_KPIS = [
  'outpatient_visits', 'emergency_visits', 'admissions', 'discharges', 'inpatients', 'bed_occupancy', 'surgeries',
  'medical_revenue', 'drug_share', 'materials_per_100', 'medical_service_share', 'avg_los', 'outpatient_fee_per_visit', 'inpatient_fee_per_discharge',
] as const;

export function buildCampusScope(daily: DailyFigures, scope: { id: string; zh: string; en: string; campusIds: readonly string[] }, asOf: string): CampusScope {
  const periods = comparisonPeriods(asOf);
  const cur = sumPeriod(daily, scope.campusIds, periods.current);
  const yoy = sumPeriod(daily, scope.campusIds, periods.yoy);
  const mom = sumPeriod(daily, scope.campusIds, periods.mom);
  const trendDates = Array.from({ length: TREND_DAYS }, (_, i) => addDays(asOf, i - TREND_DAYS + 1));
  const trendSums = trendDates.map((d) => sumPeriod(daily, scope.campusIds, { from: d, to: d }));
  const tiles = CAMPUS_SCREEN_KPIS.map((id): KpiTile => {
    const def = KPI_CATALOG.find((k) => k.id === id)!;
    const value = cur.days ? kpiValue(id, cur.sum, cur.last) : null;
    const trend = trendDates.map((date, i) => ({ date, value: trendSums[i]!.days ? kpiValue(id, trendSums[i]!.sum, trendSums[i]!.last) : null }));
    return {
      kpi: id, value, period: periods.current, partial: periods.partial, day: trend[trend.length - 1]!.value,
      yoy: compare(def, value, yoy.days ? kpiValue(id, yoy.sum, yoy.last) : null, periods.yoy),
      mom: compare(def, value, mom.days ? kpiValue(id, mom.sum, mom.last) : null, periods.mom),
      trend,
    };
  });
  const s = cur.sum;
  const revenue = s.outpatientRevenue + s.inpatientRevenue;
  return {
    scope: scope.id, zh: scope.zh, en: scope.en, tiles,
    revenueStructure: {
      drug: s.drugRevenue, material: s.materialRevenue, exam: s.examRevenue, lab: s.labRevenue,
      service: revenue - s.drugRevenue - s.materialRevenue - s.examRevenue - s.labRevenue,
    },
  };
}

export const HOSPITAL_SCOPE = 'hospital';

/** One scope for the whole hospital (all campuses) and one per campus. */
export function buildCampusScreen(daily: DailyFigures, campuses: readonly { id: string; zh: string; en: string }[], asOf: string): CampusScreenData {
  const all = campuses.map((c) => c.id);
  const scopes = [
    buildCampusScope(daily, { id: HOSPITAL_SCOPE, zh: '全院', en: 'Whole hospital', campusIds: all }, asOf),
    ...campuses.map((c) => buildCampusScope(daily, { id: c.id, zh: c.zh, en: c.en, campusIds: [c.id] }, asOf)),
  ];
  return { asOf, period: comparisonPeriods(asOf).current, scopes };
}
