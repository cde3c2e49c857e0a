/**
 * The explorer's answer: the KPI's figures for the period and its comparison, per group, with warnings that say what is
 * partial, monthly, a stock, capped or compared with what. Answers are cached by query and data date.
 */
import { shiftMonths, addDays } from '../../domain/calendar.ts';
import { FEE_CATEGORIES } from '../../domain/contract.ts';
import { ORDERED_DIMENSIONS, comparisonLabel, comparisonSpan, explorePart, filterApplies, type ExploreFigures, type ExplorePeriod, type KpiTarget, type Named, type Span } from '../../domain/explore.ts';
import { KPIS } from '../../domain/kpis/catalog.ts';
import { DIMENSION_NAMES, EXPLORE_FILTERS, MONTHLY_FACTS, type ExploreFilter, type Grouping } from '../../domain/kpis/facts.ts';
import { kpiDefinition, partsValue, type Kpi } from '../../domain/kpis/model.ts';
import { badRequest } from '../../domain/user-error.ts';
import type { ExploreFilterName, ExploreResponse, ExploreRow } from '../contract.ts';
import { type ExploreQuery, type ExploreDeps, type Resolved, resolve } from './query.ts';
import { TOTAL_KEY, isTime, spanDays, groupDays, figures, daysReported } from './sql.ts';
import { MEASURES, type Measure } from '../../domain/kpis/measures.ts';
import { referenceNames, nameOf } from './names.ts';
import { budgetToDate } from './budget.ts';

/** The comparison's key for a time group of the current period (March 2024's 5th ↔ March 2023's 5th). */
function earlierKey(key: string, grouping: Grouping, months: number | 'day'): string {
  if (grouping === 'month') return shiftMonths(`${key}-01`, months === 'day' ? 0 : months).slice(0, 7);
  if (grouping === 'day') return months === 'day' ? addDays(key, -1) : shiftMonths(key, months);
  return key;
}

// ── the answer ──

export type ExploreAnswer = Omit<ExploreResponse, 'cached' | 'elapsedMs'>;

export const periodOut = (p: ExplorePeriod, date: string): ExploreResponse['period'] => ({
  grain: p.grain, date, from: p.from, to: p.to, dataTo: p.dataTo, partial: p.partial, days: p.days, daysInPeriod: p.daysInPeriod, zh: p.label.zh, en: p.label.en,
});

export async function filterNames(deps: ExploreDeps, filters: readonly [ExploreFilter, string][], asOf: string, implicit: Kpi['implicit'] = {}): Promise<ExploreFilterName[]> {
  const shown = filters.filter(([f, v]) => implicit[f] !== v);
  const book = await referenceNames(deps, asOf, shown.map(([f]) => f));
  return filters.filter(([f, v]) => implicit[f] !== v).map(([filter, value]) => ({ filter, value, ...nameOf(book, filter, value) }));
}

/** The explorer's answer for a query as of the newest night `asOf`, or why it cannot be given. */
export async function explore(deps: ExploreDeps, q: ExploreQuery, asOf: string): Promise<{ answer: ExploreAnswer; cached: boolean }> {
  const r = resolve(q, asOf);
  const { kpi, period } = r;
  const grouping: Grouping = q.dim;
  if (grouping !== 'total' && !kpi.dimensions.includes(grouping)) {
    throw badRequest(`${kpi.zh}不能按${DIMENSION_NAMES[grouping].zh}分解（可用：${kpi.dimensions.map((d) => DIMENSION_NAMES[d].zh).join('、')}）`, `${kpi.en} cannot be broken down by ${DIMENSION_NAMES[grouping].en.toLowerCase()} (available: ${kpi.dimensions.join(', ')})`);
  }
  if (grouping === 'day' && period.grain === 'day') throw badRequest('单日不能再按日分解', 'A single day has no daily breakdown');
  if (isTime(grouping) && kpi.facts.some((f) => MONTHLY_FACTS.has(f)) && grouping === 'day') throw badRequest(`${kpi.zh}按月报送，不能按日分解`, `${kpi.en} is monthly: no daily breakdown`);
  const target = q.compare === 'target' ? deps.targets.find((t) => t.kpi === kpi.id) : undefined;
  if (q.compare === 'budget' && !kpi.budget) throw badRequest(`${kpi.zh}没有预算可比（有预算的指标：${KPIS.filter((k) => k.budget).map((k) => k.zh).join('、')}）`, `${kpi.en} has no budget (KPIs with budgets: ${KPIS.filter((k) => k.budget).map((k) => k.en).join(', ')})`);
  if (q.compare === 'target' && !target && !kpi.band) throw badRequest(`${kpi.zh}没有设定目标值（见 config/targets.json）`, `${kpi.en} has no target (see config/targets.json)`);
  let cmpSpan: Span | undefined;
  if (q.compare === 'yoy' || q.compare === 'mom') {
    const s = comparisonSpan(period, q.compare);
    if ('error' in s) throw badRequest(s.error.zh, s.error.en);
    cmpSpan = s;
  }

  const key = JSON.stringify({ ...q, format: 'json', money: 'yuan', asOf, target });
  const cached = deps.caches.explore.has(key);
  const answer = await deps.caches.explore.get(key, () => answerOf(deps, r, q, asOf, { target, cmpSpan }));
  return { answer, cached };
}

/** Computes the explorer's answer (the queries, the comparison, the rows and the warnings). */
async function answerOf(deps: ExploreDeps, r: Resolved, q: ExploreQuery, asOf: string, given: { target: KpiTarget | undefined; cmpSpan: Span | undefined }): Promise<ExploreAnswer> {
  const { kpi, period } = r;
  const grouping: Grouping = q.dim;
  const { target, cmpSpan } = given;

  const current = await figures(deps, r, grouping, { from: period.from, to: period.dataTo });
  const earlier = cmpSpan ? await figures(deps, r, grouping, cmpSpan) : undefined;
  const budget = q.compare === 'budget' ? await budgetToDate(deps, r, grouping) : undefined;
  const book = await referenceNames(deps, asOf, [grouping]);
  const perDay = await perDayCoverage(deps, r, { from: period.from, to: period.dataTo }, cmpSpan);
  const flowLike = kpi.kind !== 'ratio';
  // An earlier period without a group's rows had none of a flow (0 visits); of a stock or a ratio it has no value.
  const zeroWhenAbsent = kpi.kind === 'flow';
  const changeKind: 'relative' | 'points' | 'difference' = q.compare === 'target' ? 'difference' : kpi.unit === 'percent' && q.compare !== 'budget' ? 'points' : 'relative';
  const months = q.compare === 'yoy' ? -12 : period.grain === 'day' ? 'day' as const : period.grain === 'quarter' ? -3 : -1;

  const compareTo = (value: number | null, k: string | null, fig?: ExploreFigures): number | null => {
    if (q.compare === 'target') {
      if (value === null) return null;
      if (kpi.band) return value < kpi.band.low ? kpi.band.low : value > kpi.band.high ? kpi.band.high : value;
      return target!.value;
    }
    if (q.compare === 'budget') return k === TOTAL_KEY ? budget!.total : k === null ? null : budget!.byKey?.get(k) ?? null;
    if (earlier) {
      if (k === TOTAL_KEY) return partsValue(explorePart(kpi, earlier.total, spanDays(cmpSpan!)));
      const ek = k === null ? null : earlierKey(k, grouping, months);
      const f = earlier.groups.get(ek);
      return f ? partsValue(explorePart(kpi, f, groupDays(grouping, ek, cmpSpan!))) : fig && zeroWhenAbsent ? 0 : null;
    }
    return null;
  };
  const change = (value: number | null, cmp: number | null): number | null => {
    if (value === null || cmp === null) return null;
    if (changeKind === 'relative') return cmp === 0 ? null : (value - cmp) / cmp;
    return value - cmp;
  };
  const currentSpan = { from: period.from, to: period.dataTo };
  const totalParts = explorePart(kpi, current.total, spanDays(currentSpan));
  const row = (k: string | null, names: Named, fig: ExploreFigures, parts = explorePart(kpi, fig, groupDays(grouping, k, currentSpan))): ExploreRow => {
    const value = partsValue(parts);
    const cmp = compareTo(value, k, fig);
    return {
      key: k, zh: names.zh, en: names.en, value, numerator: parts.numerator, denominator: parts.denominator, compare: cmp, change: change(value, cmp),
      share: flowLike && totalParts.numerator !== 0 ? parts.numerator / totalParts.numerator : null,
    };
  };

  let rows: ExploreRow[];
  if (grouping === 'fee_category') {
    // The revenue's categories: one row per category, its share of the total (compared category by category).
    const t = current.total;
    rows = FEE_CATEGORIES.map((c) => {
      const parts = { numerator: t.fees[c], denominator: null, scale: 1 };
      const value = t.fees[c];
      const before = earlier ? earlier.total.fees[c] : null;
      return { key: c, ...nameOf(book, grouping, c), value, numerator: value, denominator: null, compare: before, change: change(value, before), share: parts.numerator && totalParts.numerator ? value / totalParts.numerator : null };
    }).filter((x) => x.value !== 0 || (x.compare ?? 0) !== 0);
  } else if (grouping === 'total') {
    rows = [];
  } else {
    rows = [...current.groups].map(([k, fig]) => row(k, nameOf(book, grouping, k), fig));
  }
  if (ORDERED_DIMENSIONS.has(grouping)) rows.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  else rows.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || (a.key ?? '').localeCompare(b.key ?? ''));
  let truncated = current.truncated;
  if (rows.length > q.limit) {
    rows = rows.slice(0, q.limit);
    truncated = true;
  }

  const warnings = [...warningsOf(r, q, asOf, { cmpSpan, budget, target, truncated }), ...perDay];

  const answer: ExploreAnswer = {
    asOf, kpi: kpiDefinition(kpi), dimension: grouping, dimensions: [...kpi.dimensions], filterable: EXPLORE_FILTERS.filter((f) => filterApplies(kpi, f) && kpi.implicit?.[f] === undefined),
    filters: await filterNames(deps, r.filters, asOf, kpi.implicit), period: periodOut(period, q.date ?? asOf),
    comparison: q.compare === 'none' ? null : { kind: q.compare, from: cmpSpan?.from ?? null, to: cmpSpan?.to ?? null, ...comparisonLabel(q.compare, cmpSpan), changeKind },
    total: row(TOTAL_KEY, { zh: '合计', en: 'Total' }, current.total, totalParts), rows, truncated, limit: q.limit, warnings, detail: true,
  };
  return answer;
}

/** What an answer must say beside its figures: a partial period, a monthly source not yet in, a stock, a budget's or target's basis, a cap. */
function warningsOf(r: Resolved, q: ExploreQuery, asOf: string, given: { cmpSpan: Span | undefined; budget: { warnings: Named[] } | undefined; target: KpiTarget | undefined; truncated: boolean }): Named[] {
  const { kpi, period } = r;
  const { cmpSpan, budget, target, truncated } = given;
  const warnings: Named[] = [];
  if (period.partial) {
    warnings.push({
      zh: `${period.label.zh}尚未结束：数据截至 ${period.dataTo}（${period.days}/${period.daysInPeriod} 天）${cmpSpan ? `，对比期取相同日历天数（${cmpSpan.from} 至 ${cmpSpan.to}）` : ''}`,
      en: `${period.label.en} is not over: data to ${period.dataTo} (${period.days} of ${period.daysInPeriod} days)${cmpSpan ? `; compared with the same calendar days (${cmpSpan.from} to ${cmpSpan.to})` : ''}`,
    });
  }
  if (kpi.facts.some((f) => MONTHLY_FACTS.has(f)) && period.dataTo.slice(0, 7) === asOf.slice(0, 7)) {
    warnings.push({ zh: `${kpi.zh}按月报送：${asOf.slice(0, 7)} 的数据可能尚未送达`, en: `${kpi.en} is reported monthly: ${asOf.slice(0, 7)} may not be delivered yet` });
  }
  if (kpi.kind === 'stock') warnings.push({ zh: `${kpi.zh}为时点数：取 ${period.dataTo} 24 时的值`, en: `${kpi.en} is a stock: the count at midnight on ${period.dataTo}` });
  if (budget) warnings.push(...budget.warnings);
  if (target) warnings.push({ zh: `目标：${target.value}（${target.basisZh}）`, en: `Target: ${target.value} (${target.basisEn})` });
  else if (q.compare === 'target' && kpi.band) warnings.push({ zh: `目标区间 ${kpi.band.low}–${kpi.band.high}：区间内差值为 0`, en: `Target band ${kpi.band.low}–${kpi.band.high}: within it the difference is 0` });
  if (truncated) warnings.push({ zh: `结果超过 ${q.limit} 行，只显示前 ${q.limit} 行；请加筛选条件`, en: `More than ${q.limit} rows: the first ${q.limit} are shown; add a filter` });

  return warnings;
}

/**
 * A KPI whose denominator is a daily average (bed turnover: average open beds) says so when its source missed days of
 * the period or of the comparison: those days count as none, and the figure reads too high. Never silently.
 */
async function perDayCoverage(deps: ExploreDeps, r: Resolved, current: Span, earlier: Span | undefined): Promise<Named[]> {
  const f = r.kpi.formula;
  if (!f.denominatorPerDay || !f.denominator?.length) return [];
  const measure = f.denominator[0]!.replace(/^-/, '') as Measure;
  const out: Named[] = [];
  for (const span of earlier ? [current, earlier] : [current]) {
    const days = spanDays(span);
    const reported = await daysReported(deps, r, span, measure);
    if (reported >= days) continue;
    out.push({
      zh: `${r.kpi.zh}的分母为日平均（${MEASURES[measure].zh} ÷ 天数）：${span.from} 至 ${span.to} 共 ${days} 天，只有 ${reported} 天有数据；缺报的日子按 0 计，数值偏高，请补报后再看`,
      en: `${r.kpi.en} divides by a daily average (${MEASURES[measure].en} ÷ days): ${span.from} to ${span.to} has ${days} days but data on only ${reported}; missing days count as none, so the figure reads too high until they are delivered`,
    });
  }
  return out;
}
