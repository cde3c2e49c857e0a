/**
 * The campus operating screen (院区运营大屏): from daily sums per campus to KPI tiles for the hospital and each campus,
 * month-to-date with calendar-aligned YoY (同比) and MoM (环比), the as-of day's value and a 30-day trend.
 */
import { addDays, daysInMonth, monthStart, shiftMonths } from './calendar.ts';
import { kpisOn } from './kpis/catalog.ts';
import { addFigures, emptyFigures, type Figures } from './kpis/measures.ts';
import { kpiValue, type Kpi } from './kpis/model.ts';

/** Figures by campus id, then by date. */
export type DailyFigures = Map<string, Map<string, Figures>>;

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

/** Sums the figures of the given campuses over [from, to]; `last` is the figures of the last day (for stocks). */
export function sumPeriod(daily: DailyFigures, campusIds: readonly string[], period: Period): { sum: Figures; last: Figures; days: number } {
  const sum = emptyFigures();
  const last = emptyFigures();
  let days = 0;
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) {
    let any = false;
    for (const id of campusIds) {
      const f = daily.get(id)?.get(d);
      if (!f) continue;
      any = true;
      addFigures(sum, f);
      if (d === period.to) addFigures(last, f);
    }
    if (any) days++;
  }
  return { sum, last, days };
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

function compare(def: Kpi, current: number | null, previous: number | null, period: Period): Comparison {
  const changeKind = def.unit === 'percent' ? 'points' : 'relative';
  let change: number | null = null;
  if (current !== null && previous !== null) {
    change = changeKind === 'points' ? current - previous : previous === 0 ? null : (current - previous) / previous;
  }
  return { period, value: previous, change, changeKind };
}

/** Days of daily values in each tile's trend line, ending on the as-of date. */
export const TREND_DAYS = 30;

/** The campus wall's tiles: the catalogue's KPIs shown on it, in catalogue order. */
export const CAMPUS_SCREEN_KPIS: readonly string[] = kpisOn('campus').map((k) => k.id);

export function buildCampusScope(daily: DailyFigures, scope: { id: string; zh: string; en: string; campusIds: readonly string[] }, asOf: string): CampusScope {
  const periods = comparisonPeriods(asOf);
  const cur = sumPeriod(daily, scope.campusIds, periods.current);
  const yoy = sumPeriod(daily, scope.campusIds, periods.yoy);
  const mom = sumPeriod(daily, scope.campusIds, periods.mom);
  const trendDates = Array.from({ length: TREND_DAYS }, (_, i) => addDays(asOf, i - TREND_DAYS + 1));
  const trendSums = trendDates.map((d) => sumPeriod(daily, scope.campusIds, { from: d, to: d }));
  const valueOf = (def: Kpi, s: { sum: Figures; last: Figures; days: number }) => (s.days ? kpiValue(def, s.sum, s.last, s.days) : null);
  const tiles = kpisOn('campus').map((def): KpiTile => {
    const value = valueOf(def, cur);
    const trend = trendDates.map((date, i) => ({ date, value: valueOf(def, trendSums[i]!) }));
    return {
      kpi: def.id, value, period: periods.current, partial: periods.partial, day: trend[trend.length - 1]!.value,
      yoy: compare(def, value, valueOf(def, yoy), periods.yoy),
      mom: compare(def, value, valueOf(def, mom), periods.mom),
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
