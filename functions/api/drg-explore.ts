/**
 * The DRG explorer's query: group → departments → doctor groups → cases, each level with payment against charges, the
 * cost structure per case and the benchmark, filtered by group, department, doctor group and outlier flag.
 * Bounded (one year at most, a row cap) and cached by query and snapshot date; CSV export of exactly what is returned.
 */
import { badRequest, UserError } from '../domain/user-error.ts';
import type { Memo } from './cache.ts';
import { z } from 'zod';
import { isIsoDate, toDayNumber } from '../domain/calendar.ts';
import { COST_CATEGORIES, groupCases, summarise, type CostCategory, type DrgRules, type EnrichedCase } from '../domain/drg.ts';
import type { DrgCaseRow, DrgExploreLevel, DrgExploreResponse, DrgExploreRow } from './contract.ts';
import { groupRows } from '../domain/drg-screen.ts';
import { csvDocument } from './export.ts';
import { drgCases, loadNames } from '../lake/drg-cases.ts';
import type { QueryEngine } from '../ports.ts';

export const DRG_EXPLORE_LEVELS = ['group', 'department', 'doctor_group', 'case'] as const satisfies readonly DrgExploreLevel[];
const MAX_DAYS = 366;
const MAX_CASES = 500_000;

const code = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
export const drgExploreQuery = z.object({
  level: z.enum(DRG_EXPLORE_LEVELS).default('group'),
  from: z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD').optional(),
  to: z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD').optional(),
  drg: code.optional(),
  department: code.optional(),
  doctorGroup: code.optional(),
  outlier: z.enum(['high', 'low']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  format: z.enum(['json', 'csv']).default('json'),
});
export type DrgExploreQuery = z.infer<typeof drgExploreQuery>;

const perCase = (cases: readonly EnrichedCase[]): Record<CostCategory, number> => {
  const m = summarise(cases);
  return Object.fromEntries(COST_CATEGORIES.map((k) => [k, cases.length ? m.costStructure[k] / cases.length : 0])) as Record<CostCategory, number>;
};

function rowOf(id: string, names: { zh: string; en: string }, cases: EnrichedCase[]): DrgExploreRow {
  const m = summarise(cases);
  const g = cases.length && cases.every((c) => c.drgCode === cases[0]!.drgCode) ? groupRows(cases)[0] : undefined;
  return {
    id, ...names, cases: m.discharges, cmi: m.cmi, weight: g?.weight ?? null, payment: m.payment, cost: m.cost, pnl: m.pnl, margin: m.margin,
    avgCost: m.avgCost, avgLos: m.avgLos, benchmarkCost: g?.benchmarkCost ?? null, benchmarkLos: g?.benchmarkLos ?? null,
    costIndex: m.costIndex, timeIndex: m.timeIndex, highOutliers: m.highOutliers, lowOutliers: m.lowOutliers, perCase: perCase(cases),
  };
}

/** Runs an explorer query as of the newest DRG snapshot date `asOf`. */
export interface DrgExploreDeps {
  engine: QueryEngine;
  rules: DrgRules;
  /** Answers by query, snapshot date and outlier rule set (the app's cache). */
  cache: Memo;
}

/** Runs an explorer query as of the newest DRG snapshot date `asOf`; a range it cannot answer whole is a UserError. */
export function exploreDrg(deps: DrgExploreDeps, q: DrgExploreQuery, asOf: string): Promise<DrgExploreResponse> {
  const to = q.to ?? asOf;
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw badRequest(`起始日期 ${from} 晚于结束日期 ${to}`, `from ${from} is after to ${to}`);
  if (toDayNumber(to) - toDayNumber(from) + 1 > MAX_DAYS) {
    throw badRequest(`查询跨度不能超过 ${MAX_DAYS} 天（${from} 至 ${to}）`, `the range may span at most ${MAX_DAYS} days (${from} to ${to})`);
  }
  return deps.cache.get(JSON.stringify({ ...q, from, to, asOf, rules: deps.rules.outlierRuleSet }), () => drgAnswer(deps, q, asOf, from, to));
}

async function drgAnswer({ engine, rules }: DrgExploreDeps, q: DrgExploreQuery, asOf: string, from: string, to: string): Promise<DrgExploreResponse> {
  // Figures come from every case of the range or from none: a range over the cap is refused, never summed in part.
  const { cases: all, truncated: overCap } = await drgCases(engine, rules, from, to, asOf, MAX_CASES, q.department);
  if (overCap) {
    throw new UserError(422, 'too_many_cases',
      `${from} 至 ${to}${q.department ? `（科室 ${q.department}）` : ''}的出院病例超过 ${MAX_CASES.toLocaleString('en')} 例，超出 DRG 分析一次可计算的上限；只算一部分会得出错误的 CMI 和盈亏，所以不显示。请缩短时间范围或按科室筛选`,
      `More than ${MAX_CASES.toLocaleString('en')} discharges from ${from} to ${to}${q.department ? ` in department ${q.department}` : ''}: over what the DRG explorer computes at once. Part of them would give a wrong CMI and P&L, so nothing is shown: shorten the period or filter by department`);
  }
  const names = await loadNames(engine, asOf);
  const cases = all.filter((c) => (!q.drg || c.drgCode === q.drg) && (!q.department || c.departmentId === q.department)
    && (!q.doctorGroup || c.doctorGroupId === q.doctorGroup) && (!q.outlier || c.outlier === q.outlier));
  const split = (key: (c: EnrichedCase) => string | null) => groupCases(cases, key);
  let rows: DrgExploreRow[] = [];
  let rowsTotal = 0;
  let caseRows: DrgCaseRow[] = [];
  let truncated = false;
  if (q.level === 'group') {
    rows = [...split((c) => c.drgCode)].map(([id, list]) => rowOf(id, { zh: list[0]!.groupName ?? id, en: list[0]!.groupName ?? id }, list));
  } else if (q.level === 'department') {
    rows = [...split((c) => c.departmentId)].map(([id, list]) => rowOf(id, names.departments.get(id) ?? { zh: id, en: id }, list));
  } else if (q.level === 'doctor_group') {
    rows = [...split((c) => c.doctorGroupId)].map(([id, list]) => rowOf(id, names.doctorGroups.get(id) ?? { zh: id, en: id }, list));
  } else {
    // Biggest losses first: the cases an analyst opens.
    const sorted = [...cases].sort((a, b) => (a.payment === null ? 0 : a.payment - a.feeTotal) - (b.payment === null ? 0 : b.payment - b.feeTotal) || (a.caseId < b.caseId ? -1 : 1));
    truncated ||= sorted.length > q.limit;
    rowsTotal = sorted.length;
    caseRows = sorted.slice(0, q.limit).map((c) => ({
      caseId: c.caseId, dischargeDate: c.dischargeDate, departmentId: c.departmentId, doctorGroupId: c.doctorGroupId, drgCode: c.drgCode,
      groupName: c.groupName, weight: c.weight, insuranceType: c.insuranceType, losDays: c.losDays, benchmarkLos: c.benchmark?.avgLos ?? null,
      feeTotal: c.feeTotal, benchmarkCost: c.benchmark?.avgCost ?? null, ratio: c.ratio, payment: c.payment,
      pnl: c.payment === null ? null : c.payment - c.feeTotal, outlier: c.outlier, outcome: c.outcome, riskTier: c.riskTier, fees: c.fees,
    }));
  }
  rows.sort((a, b) => a.pnl - b.pnl || b.cases - a.cases);
  if (q.level !== 'case') rowsTotal = rows.length;
  if (rows.length > q.limit) {
    rows = rows.slice(0, q.limit);
    truncated = true;
  }
  const filters: DrgExploreResponse['filters'] = {};
  if (q.drg) filters.drg = q.drg;
  if (q.department) filters.department = q.department;
  if (q.doctorGroup) filters.doctorGroup = q.doctorGroup;
  if (q.outlier) filters.outlier = q.outlier;
  return { asOf, from, to, level: q.level, filters, total: summarise(cases), rows, cases: caseRows, truncated, rowsTotal };
}

const round = (x: number | null, digits = 2): string => (x === null ? '' : x.toFixed(digits));

/** The rows of an explorer answer as CSV, with a header naming each column and its unit. */
export function drgExploreCsv(r: DrgExploreResponse): string {
  const out: string[][] = [];
  if (r.level === 'case') {
    out.push(['case_id', 'discharge_date', 'department_id', 'doctor_group_id', 'drg_code', 'group_name', 'weight', 'insurance_type', 'los_days', 'benchmark_los_days',
      'charges_cny', 'benchmark_cost_cny', 'cost_ratio', 'payment_cny', 'pnl_cny', 'outlier', 'outcome', 'risk_tier', ...COST_CATEGORIES.map((k) => `${k}_cny`)]);
    for (const c of r.cases) {
      out.push([c.caseId, c.dischargeDate, c.departmentId, c.doctorGroupId, c.drgCode ?? '', c.groupName ?? '', round(c.weight, 4), c.insuranceType, String(c.losDays),
        round(c.benchmarkLos), round(c.feeTotal), round(c.benchmarkCost), round(c.ratio, 3), round(c.payment), round(c.pnl), c.outlier ?? '', c.outcome, c.riskTier ?? '',
        ...COST_CATEGORIES.map((k) => round(c.fees[k]))]);
    }
  } else {
    out.push([`${r.level}_id`, 'name_zh', 'name_en', 'cases', 'cmi', 'weight', 'payment_cny', 'charges_cny', 'pnl_cny', 'margin', 'avg_charges_cny', 'benchmark_cost_cny',
      'avg_los_days', 'benchmark_los_days', 'cost_index', 'time_index', 'high_outliers', 'low_outliers', ...COST_CATEGORIES.map((k) => `${k}_per_case_cny`)]);
    for (const x of r.rows) {
      out.push([x.id, x.zh, x.en, String(x.cases), round(x.cmi, 4), round(x.weight, 4), round(x.payment), round(x.cost), round(x.pnl), round(x.margin, 4), round(x.avgCost),
        round(x.benchmarkCost), round(x.avgLos), round(x.benchmarkLos), round(x.costIndex, 4), round(x.timeIndex, 4), String(x.highOutliers), String(x.lowOutliers),
        ...COST_CATEGORIES.map((k) => round(x.perCase[k]))]);
    }
  }
  return csvDocument(out);
}
