/**
 * The analyst's explorer, the pure part: which KPI reads which facts, the dimensions and filters each fact allows
 * (as allow-listed SQL expressions, never text from a request), periods with calendar-aligned comparisons, and the
 * names of coded values. The API (api/explore.ts) turns these into bound queries.
 */
import { addDays, daysInMonth, shiftMonths, toDayNumber } from './calendar.ts';
import { COST_ELEMENTS, FEE_CATEGORIES, INSURANCE_TYPES, OUTCOMES, VISIT_TYPES, type FeeCategory } from './contract.ts';
import { ELEMENT_NAMES } from './cost-model.ts';
import { findKpi } from './kpis/catalog.ts';
import { FACT_COLUMNS, type ExploreDimension, type ExploreFilter, type Grouping } from './kpis/facts.ts';
import { addFigures, emptyFigures, type Figures, type Named } from './kpis/measures.ts';
import { kpiParts, type Kpi, type KpiParts } from './kpis/model.ts';

export type { Named } from './kpis/measures.ts';

/** A filter applies to a KPI when at least one of its facts has the attribute. */
export function filterApplies(kpi: Kpi, filter: ExploreFilter): boolean {
  return kpi.facts.some((f) => !!FACT_COLUMNS[f][filter]);
}

// ── figures ──

/** Additive sums of one group (a dimension value) over one period, across the KPI's facts, with revenue by fee category. */
export interface ExploreFigures extends Figures {
  /** Revenue by fee category (outpatient and inpatient together). */
  fees: Record<FeeCategory, number>;
}

export const emptyExploreFigures = (): ExploreFigures => ({ ...emptyFigures(), fees: Object.fromEntries(FEE_CATEGORIES.map((c) => [c, 0])) as Record<FeeCategory, number> });

export function addExploreFigures(into: ExploreFigures, f: ExploreFigures): void {
  addFigures(into, f);
  for (const c of FEE_CATEGORIES) into.fees[c] += f.fees[c];
}

/** The KPI's parts from a group's sums over `days` days. Stocks (in-hospital count) are queried over the period's last day only. */
export function explorePart(kpi: Kpi, f: ExploreFigures, days: number): KpiParts {
  return kpiParts(kpi, f, f, days);
}

// ── periods ──

export const EXPLORE_GRAINS = ['day', 'month', 'quarter', 'year', 'ytd'] as const;
export type ExploreGrain = (typeof EXPLORE_GRAINS)[number];
export const EXPLORE_COMPARISONS = ['none', 'yoy', 'mom', 'budget', 'target'] as const;
export type ExploreComparison = (typeof EXPLORE_COMPARISONS)[number];

export interface Span { from: string; to: string }

export interface ExplorePeriod {
  grain: ExploreGrain;
  /** The whole calendar period the anchor date falls in (YTD: 1 January to the anchor). */
  from: string;
  to: string;
  /** The part with data: `to` capped at the newest night. */
  dataTo: string;
  partial: boolean;
  days: number;
  daysInPeriod: number;
  label: Named;
}

const GRAIN_NAMES: Record<ExploreGrain, Named> = {
  day: { zh: '日', en: 'day' }, month: { zh: '月', en: 'month' }, quarter: { zh: '季度', en: 'quarter' }, year: { zh: '年', en: 'year' }, ytd: { zh: '年初至今', en: 'year to date' },
};

function calendarSpan(grain: ExploreGrain, date: string): Span {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (grain) {
    case 'day': return { from: date, to: date };
    case 'month': return { from: `${date.slice(0, 7)}-01`, to: `${date.slice(0, 7)}-${pad(daysInMonth(y, m))}` };
    case 'quarter': {
      const first = Math.floor((m - 1) / 3) * 3 + 1;
      return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(first + 2)}-${pad(daysInMonth(y, first + 2))}` };
    }
    case 'year': return { from: `${y}-01-01`, to: `${y}-12-31` };
    case 'ytd': return { from: `${y}-01-01`, to: date };
  }
}

const spanDays = (s: Span): number => toDayNumber(s.to) - toDayNumber(s.from) + 1;

function periodLabel(grain: ExploreGrain, s: Span): Named {
  const y = s.from.slice(0, 4);
  switch (grain) {
    case 'day': return { zh: s.from, en: s.from };
    case 'month': return { zh: `${y}年${Number(s.from.slice(5, 7))}月`, en: s.from.slice(0, 7) };
    case 'quarter': return { zh: `${y}年第${Math.floor((Number(s.from.slice(5, 7)) - 1) / 3) + 1}季度`, en: `${y} Q${Math.floor((Number(s.from.slice(5, 7)) - 1) / 3) + 1}` };
    case 'year': return { zh: `${y}年`, en: y };
    case 'ytd': return { zh: `${y}年1月1日至${s.to.slice(5, 7)}月${s.to.slice(8, 10)}日`, en: `${y} to ${s.to.slice(5)}` };
  }
}

export type PeriodError = Named;

/** The period the anchor date falls in, cut at the newest night of data (a partial period says so). */
export function explorePeriod(grain: ExploreGrain, date: string, asOf: string): ExplorePeriod | { error: PeriodError } {
  const span = calendarSpan(grain, date);
  if (span.from > asOf) {
    return { error: { zh: `${periodLabel(grain, span).zh}还没有数据：最新数据截至 ${asOf}`, en: `No data yet for ${periodLabel(grain, span).en}: the newest night is ${asOf}` } };
  }
  const dataTo = span.to > asOf ? asOf : span.to;
  return {
    grain, ...span, dataTo, partial: dataTo < span.to, days: spanDays({ from: span.from, to: dataTo }), daysInPeriod: spanDays(span), label: periodLabel(grain, span),
  };
}

/**
 * The comparison period, calendar-aligned: the same period a year (YoY) or one period (MoM) earlier. A complete period
 * compares with the whole earlier period (February 2025 with all 29 days of February 2024); a partial one with the same
 * days of it (1–10 March with 1–10 February), the day-of-month clamped to the shorter month (29 Feb → 28 Feb).
 */
export function comparisonSpan(p: ExplorePeriod, kind: 'yoy' | 'mom'): Span | { error: PeriodError } {
  let months: number;
  if (kind === 'yoy') months = -12;
  else if (p.grain === 'month') months = -1;
  else if (p.grain === 'quarter') months = -3;
  else if (p.grain === 'day') return { from: addDays(p.from, -1), to: addDays(p.from, -1) };
  else return { error: { zh: `${GRAIN_NAMES[p.grain].zh}没有环比，请用同比`, en: `A ${GRAIN_NAMES[p.grain].en} has no month-on-month comparison: use year-on-year` } };
  const from = shiftMonths(p.from, months);
  if (p.grain === 'day') return { from, to: from };
  if (!p.partial && p.grain !== 'ytd') return { from, to: calendarSpan(p.grain, from).to };
  return { from, to: shiftMonths(p.dataTo, months) };
}

export const comparisonLabel = (kind: ExploreComparison, s?: Span): Named => {
  const span = s ? `（${s.from} 至 ${s.to}）` : '';
  const spanEn = s ? ` (${s.from} to ${s.to})` : '';
  switch (kind) {
    case 'yoy': return { zh: `同比${span}`, en: `Year on year${spanEn}` };
    case 'mom': return { zh: `环比${span}`, en: `Period on period${spanEn}` };
    case 'budget': return { zh: '对比预算（调整后预算优先，未结束月份按天数折算）', en: 'Against budget (adjusted where adjusted; an unfinished month pro rata by days)' };
    case 'target': return { zh: '对比目标值', en: 'Against target' };
    default: return { zh: '无对比', en: 'No comparison' };
  }
};

// ── names of coded values ──

const FEE_NAMES: Record<FeeCategory, Named> = {
  drug: { zh: '药品收入', en: 'Drugs' }, material: { zh: '卫生材料收入', en: 'Health materials' }, exam: { zh: '检查收入', en: 'Examinations' }, lab: { zh: '化验收入', en: 'Laboratory tests' },
  treatment: { zh: '治疗收入', en: 'Treatment' }, surgery: { zh: '手术收入', en: 'Surgery' }, consultation: { zh: '诊察收入', en: 'Consultation' }, bed: { zh: '床位收入', en: 'Beds' },
  other: { zh: '其他收入', en: 'Other' },
};

export const CODED_NAMES: Partial<Record<ExploreDimension, Record<string, Named>>> = {
  source: { outpatient: { zh: '门急诊', en: 'Outpatient and emergency' }, inpatient: { zh: '住院', en: 'Inpatient' } },
  insurance: Object.fromEntries(INSURANCE_TYPES.map((k) => [k, ({ employee: { zh: '职工医保', en: 'Employee insurance' }, resident: { zh: '居民医保', en: 'Resident insurance' }, self_pay: { zh: '自费', en: 'Self-pay' } })[k]])),
  visit_type: Object.fromEntries(VISIT_TYPES.map((k) => [k, ({ outpatient: { zh: '门诊', en: 'Outpatient' }, emergency: { zh: '急诊', en: 'Emergency' } })[k]])),
  outcome: Object.fromEntries(OUTCOMES.map((k) => [k, ({ cured: { zh: '治愈', en: 'Cured' }, improved: { zh: '好转', en: 'Improved' }, not_cured: { zh: '未愈', en: 'Not cured' }, death: { zh: '死亡', en: 'Death' }, other: { zh: '其他', en: 'Other' } })[k]])),
  surgery_level: { 1: { zh: '一级手术', en: 'Grade 1' }, 2: { zh: '二级手术', en: 'Grade 2' }, 3: { zh: '三级手术', en: 'Grade 3' }, 4: { zh: '四级手术', en: 'Grade 4' } },
  day_surgery: { true: { zh: '日间手术', en: 'Day surgery' }, false: { zh: '非日间手术', en: 'Not day surgery' } },
  fee_category: FEE_NAMES,
  cost_element: Object.fromEntries(COST_ELEMENTS.map((k) => [k, ELEMENT_NAMES[k]])),
};

/** What a group without the attribute is called (outpatient revenue has no ward; an ungrouped case has no DRG). */
export const MISSING_NAMES: Partial<Record<ExploreDimension, Named>> = {
  ward: { zh: '门急诊（不分病区）', en: 'Outpatient (no ward)' },
  doctor_group: { zh: '门急诊（不分诊疗组）', en: 'Outpatient (no doctor group)' },
  doctor: { zh: '住院（不分医生）', en: 'Inpatient (no doctor)' },
  drg: { zh: '未入组', en: 'Not grouped' },
  visit_type: { zh: '住院', en: 'Inpatient' },
};

/** Time and ordinal dimensions list in their own order; the others by value, largest first. */
export const ORDERED_DIMENSIONS: ReadonlySet<Grouping> = new Set(['day', 'month', 'surgery_level']);

/** Hospital targets (configuration), compared with in "vs target". */
export interface KpiTarget {
  kpi: string;
  value: number;
  basisZh: string;
  basisEn: string;
}

export function parseTargets(json: unknown, source: string): KpiTarget[] {
  const list = (json as { targets?: unknown })?.targets;
  if (!Array.isArray(list)) throw new Error(`${source}: 缺少 targets 数组 / "targets" must be an array`);
  return list.map((t: unknown, i) => {
    const o = t as Record<string, unknown>;
    const where = `${source} targets[${i}]`;
    if (typeof o?.kpi !== 'string' || !findKpi(o.kpi)) throw new Error(`${where}.kpi: 不是指标目录中的指标 / not a KPI of the catalogue: ${JSON.stringify(o?.kpi)}`);
    if (typeof o.value !== 'number' || !Number.isFinite(o.value)) throw new Error(`${where}.value: 应为数字 / must be a number`);
    if (typeof o.basisZh !== 'string' || typeof o.basisEn !== 'string') throw new Error(`${where}.basisZh/basisEn: 应写明目标依据 / must state the target's basis`);
    return { kpi: o.kpi, value: o.value, basisZh: o.basisZh, basisEn: o.basisEn };
  });
}
