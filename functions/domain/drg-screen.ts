/**
 * The DRG cost screen (DRG病种成本大屏): per scope (hospital, each campus) the month and year to date, a 12-month trend,
 * the groups losing and earning most, and the CMI × P&L quadrant by department. Pure: built from enriched cases.
 */
import { monthStart, shiftMonths } from './calendar.ts';
import { groupCases, summarise, summariseBy, type DrgMetrics, type EnrichedCase } from './drg.ts';

export const DRG_TREND_MONTHS = 12;
export const DRG_TOP_GROUPS = 6;

export interface Named { id: string; zh: string; en: string }

export interface DrgGroupRow {
  drgCode: string;
  name: string;
  weight: number | null;
  cases: number;
  payment: number;
  cost: number;
  pnl: number;
  avgCost: number | null;
  benchmarkCost: number | null;
  avgLos: number | null;
  benchmarkLos: number | null;
  highOutliers: number;
  lowOutliers: number;
}

export interface DrgQuadrantPoint extends Named {
  cmi: number | null;
  pnl: number;
  cases: number;
}

export interface DrgTrendPoint {
  month: string;
  cmi: number | null;
  totalWeight: number;
  groupCount: number;
  pnl: number;
  payment: number;
  cost: number;
  costIndex: number | null;
  timeIndex: number | null;
}

export interface DrgScope extends Named {
  month: DrgMetrics;
  ytd: DrgMetrics;
  trend: DrgTrendPoint[];
  topLosing: DrgGroupRow[];
  topEarning: DrgGroupRow[];
  quadrant: DrgQuadrantPoint[];
}

export interface DrgScreenData {
  asOf: string;
  month: { from: string; to: string; partial: boolean };
  ytd: { from: string; to: string };
  /** The outlier rule set in force, for the screen's legend. */
  outlierRule: { id: string; zh: string; en: string };
  scopes: DrgScope[];
}

/**
 * The month and year-to-date span of the screen, the first day any of them needs, and the trend's months: the last
 * `DRG_TREND_MONTHS` complete months (an unfinished month is never plotted beside whole ones: on the 2nd, a
 * two-day December would read as a collapse; the tiles show it as month to date).
 */
export function drgPeriods(asOf: string): { month: { from: string; to: string }; ytd: { from: string; to: string }; trendFrom: string; trendTo: string; readFrom: string } {
  const month = { from: monthStart(asOf), to: asOf };
  const ytd = { from: `${asOf.slice(0, 4)}-01-01`, to: asOf };
  const lastComplete = isMonthEnd(asOf) ? month.from : shiftMonths(month.from, -1);
  const trendFrom = shiftMonths(lastComplete, -(DRG_TREND_MONTHS - 1));
  return { month, ytd, trendFrom, trendTo: lastComplete, readFrom: trendFrom < ytd.from ? trendFrom : ytd.from };
}

const isMonthEnd = (d: string): boolean => Number(d.slice(8, 10)) === new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)).getUTCDate();

export function groupRows(cases: readonly EnrichedCase[]): DrgGroupRow[] {
  const byGroup = groupCases(cases, (c) => (c.drgCode && c.weight !== null ? c.drgCode : null));
  return [...byGroup].map(([code, list]) => {
    const m = summarise(list);
    const bench = list.find((c) => c.benchmark)?.benchmark ?? null;
    return {
      drgCode: code, name: list[0]!.groupName ?? code, weight: list[0]!.weight, cases: list.length,
      payment: m.payment, cost: m.cost, pnl: m.pnl, avgCost: m.avgCost, benchmarkCost: bench?.avgCost ?? null,
      avgLos: m.avgLos, benchmarkLos: bench?.avgLos ?? null, highOutliers: m.highOutliers, lowOutliers: m.lowOutliers,
    };
  });
}

function scopeOf(scope: Named, cases: readonly EnrichedCase[], asOf: string, departments: ReadonlyMap<string, Named>): DrgScope {
  const p = drgPeriods(asOf);
  // One pass into calendar months; the month, the year to date and the trend are unions of these.
  const byMonth = new Map<string, EnrichedCase[]>();
  for (const c of cases) {
    if (c.dischargeDate < p.readFrom || c.dischargeDate > asOf) continue;
    const m = c.dischargeDate.slice(0, 7);
    let list = byMonth.get(m);
    if (!list) byMonth.set(m, (list = []));
    list.push(c);
  }
  const months = (from: string, to: string) => [...byMonth].filter(([m]) => m >= from.slice(0, 7) && m <= to.slice(0, 7)).flatMap(([, list]) => list);
  const ytdCases = months(p.ytd.from, p.ytd.to);
  const trend: DrgTrendPoint[] = [];
  for (let i = DRG_TREND_MONTHS - 1; i >= 0; i--) {
    const month = shiftMonths(p.trendTo, -i).slice(0, 7);
    const m = summarise(byMonth.get(month) ?? []);
    trend.push({ month, cmi: m.cmi, totalWeight: m.totalWeight, groupCount: m.groupCount, pnl: m.pnl, payment: m.payment, cost: m.cost, costIndex: m.costIndex, timeIndex: m.timeIndex });
  }
  const groups = groupRows(ytdCases).filter((g) => g.payment > 0);
  const quadrant = [...summariseBy(ytdCases, (c) => c.departmentId)].map(([id, m]) => {
    const d = departments.get(id);
    return { id, zh: d?.zh ?? id, en: d?.en ?? id, cmi: m.cmi, pnl: m.pnl, cases: m.discharges };
  });
  return {
    ...scope, month: summarise(byMonth.get(p.month.from.slice(0, 7)) ?? []), ytd: summarise(ytdCases), trend,
    topLosing: groups.filter((g) => g.pnl < 0).sort((a, b) => a.pnl - b.pnl).slice(0, DRG_TOP_GROUPS),
    topEarning: groups.filter((g) => g.pnl > 0).sort((a, b) => b.pnl - a.pnl).slice(0, DRG_TOP_GROUPS),
    quadrant,
  };
}

/** One scope for the whole hospital and one per campus. */
export function buildDrgScreen(cases: readonly EnrichedCase[], asOf: string, campuses: readonly Named[], departments: ReadonlyMap<string, Named>,
  outlierRule: DrgScreenData['outlierRule']): DrgScreenData {
  const p = drgPeriods(asOf);
  const scopes = [
    scopeOf({ id: 'hospital', zh: '全院', en: 'Whole hospital' }, cases, asOf, departments),
    ...campuses.map((c) => scopeOf(c, cases.filter((x) => x.campusId === c.id), asOf, departments)),
  ];
  return { asOf, month: { ...p.month, partial: !isMonthEnd(asOf) }, ytd: p.ytd, outlierRule, scopes };
}
