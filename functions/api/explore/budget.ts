/** Budget to date for a KPI with a budget ("the adjusted version wins", an unfinished month pro rata by its days). */
import { monthStart, daysInMonth, toDayNumber } from '../../domain/calendar.ts';
import type { Named } from '../../domain/explore.ts';
import { DIMENSION_NAMES, MONTHLY_FACTS, type Grouping } from '../../domain/kpis/facts.ts';
import { plansInForce } from '../../domain/budget.ts';
import { readBudgetPlans } from '../../lake/budget.ts';
import { type ExploreDeps, TIMEOUT_MS, type Resolved } from './query.ts';

const BUDGET_ITEMS: Record<string, readonly string[]> = { personnel: ['personnel'], health_materials: ['health_materials'], drugs: ['drugs'], other_operating: ['operating'] };

/**
 * Budget to date for the period: each month's budget (the adjusted version where there is one), an unfinished month pro
 * rata by the days with data. Broken down by department, month or cost element; other breakdowns get the total only.
 */
export async function budgetToDate(deps: ExploreDeps, r: Resolved, grouping: Grouping): Promise<{ total: number | null; byKey: Map<string, number> | null; warnings: Named[] }> {
  const kind = r.kpi.budget!;
  const other = r.filters.filter(([f]) => f !== 'department' && f !== 'cost_element');
  if (other.length) {
    return { total: null, byKey: null, warnings: [{ zh: `预算只编到科室（与成本要素），按${other.map(([f]) => DIMENSION_NAMES[f].zh).join('、')}筛选时没有可比的预算`, en: `Budgets exist per department (and cost element) only: none compares under a ${other.map(([f]) => DIMENSION_NAMES[f].en.toLowerCase()).join(', ')} filter` }] };
  }
  const dept = r.filters.find(([f]) => f === 'department')?.[1];
  const element = r.filters.find(([f]) => f === 'cost_element')?.[1];
  // The plan in force per (month, department, item): the domain's rule (adjusted where adjusted).
  const plans = plansInForce(await readBudgetPlans(deps.engine, monthStart(r.period.from), r.period.dataTo, { maxRows: 200_000, timeoutMs: deps.timeoutMs ?? TIMEOUT_MS }));
  const lines = plans.filter((p) => p.itemType === kind && p.plan !== null && (!dept || p.departmentId === dept))
    .map((p) => ({ month: p.month, department: p.departmentId, item: p.item, amount: p.plan! }));
  // Monthly facts (costs) hold whole months: their budget is the whole month's. Daily facts compare with the days they cover.
  const monthly = r.kpi.facts.every((f) => MONTHLY_FACTS.has(f));
  const weight = (month: string): number => {
    if (monthly) return 1;
    const first = `${month}-01`;
    const y = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    const from = first < r.period.from ? r.period.from : first;
    const last = `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
    const to = last > r.period.dataTo ? r.period.dataTo : last;
    return to < from ? 0 : (toDayNumber(to) - toDayNumber(from) + 1) / daysInMonth(y, m);
  };
  const elementOf = (item: string): string | undefined => Object.entries(BUDGET_ITEMS).find(([, items]) => items.includes(item))?.[0];
  let total = 0;
  const byKey = new Map<string, number>();
  for (const l of lines) {
    const el = kind === 'expense' ? elementOf(l.item) : undefined;
    if (kind === 'expense' && !el) continue;
    if (element && el !== element) continue;
    const amount = l.amount * weight(l.month);
    total += amount;
    const key = grouping === 'department' ? l.department : grouping === 'month' ? l.month : grouping === 'cost_element' ? el : undefined;
    if (key !== undefined) byKey.set(key, (byKey.get(key) ?? 0) + amount);
  }
  const warnings: Named[] = [];
  if (kind === 'expense') warnings.push({ zh: '支出预算对应人员经费、卫生材料费、药品费与其他运行费用；折旧、摊销与医疗风险基金不编预算', en: 'Expense budgets cover personnel, health materials, drugs and other operating costs; depreciation, amortisation and the risk fund are not budgeted' });
  if (grouping !== 'total' && grouping !== 'department' && grouping !== 'month' && grouping !== 'cost_element') warnings.push({ zh: `预算不细分到${DIMENSION_NAMES[grouping].zh}，只比较合计`, en: `Budgets are not broken down by ${DIMENSION_NAMES[grouping].en.toLowerCase()}: only the total is compared` });
  return { total: lines.length ? total : null, byKey: grouping === 'department' || grouping === 'month' || grouping === 'cost_element' ? byKey : null, warnings };
}
