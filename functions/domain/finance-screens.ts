/**
 * The two cores on screen: the budget wall and analyst view (hospital-wide execution against time progress, the worst
 * deviations, every department × item line with its months and adjustment trail) and the department director's view
 * (workload, income, full cost and balance, budget, cost composition, unit costs, monitoring indicators, wards).
 * Pure functions over figures the pipeline has read; money in CNY except where a name says cents.
 */
import { adversePp, budgetItemName } from './budget.ts';
import type { CostClass } from './cost-allocation.ts';
import { readIndicators } from './cost-model.ts';
import { departmentView, type DepartmentContext } from './department-view.ts';
import {
  allocateMonths, budgetViews, cents, costYearMonths, measuresOf, sortNamed, totalsOf, type Allocated, type AllocationRow, type BudgetLinesData, type BudgetLineView,
  type BudgetScreenData, type CostReconciliation, type DepartmentBalanceRow, type DepartmentViewData, type FinanceInputs,
} from './finance-model.ts';
import { kpi } from './kpis/catalog.ts';
import { emptyFigures } from './kpis/measures.ts';
import { kpiValue } from './kpis/model.ts';

/** Hospital-wide months: plan, closed actual, and for open months the forecast remainder shared by plan. */
function budgetMonthly(lines: readonly BudgetLineView[], year: string): BudgetScreenData['monthly'] {
  // Hospital-wide months: plan, closed actual, and each line's forecast month (last year's month × its run-rate) for open months.
  const monthly: BudgetScreenData['monthly'] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, '0')}`;
    let revenuePlan = 0, expensePlan = 0, revenueActual = 0, expenseActual = 0, closed = false;
    for (const l of lines) {
      const plan = l.monthPlan[m - 1] ?? 0;
      const actual = l.monthActual[m - 1] ?? null;
      if (l.itemType === 'revenue') revenuePlan += plan;
      else expensePlan += plan;
      if (actual !== null) {
        closed = true;
        if (l.itemType === 'revenue') revenueActual += actual;
        else expenseActual += actual;
      }
    }
    monthly.push({ month, revenuePlan: cents(revenuePlan), expensePlan: cents(expensePlan), revenueActual: closed ? cents(revenueActual) : null, expenseActual: closed ? cents(expenseActual) : null, revenueForecast: null, expenseForecast: null });
  }
  // The forecast's open months share the remainder (forecast − ytd) in proportion to the plan of those months.
  for (const kind of ['revenue', 'expense'] as const) {
    const t = lines.filter((l) => l.itemType === kind);
    const remainder = t.reduce((s, l) => s + l.forecast - l.ytd, 0);
    const open = monthly.filter((m) => (kind === 'revenue' ? m.revenueActual : m.expenseActual) === null);
    const planOpen = open.reduce((s, m) => s + (kind === 'revenue' ? m.revenuePlan : m.expensePlan), 0);
    for (const m of open) {
      const share = planOpen > 0 ? (kind === 'revenue' ? m.revenuePlan : m.expensePlan) / planOpen : 1 / open.length;
      if (kind === 'revenue') m.revenueForecast = cents(remainder * share);
      else m.expenseForecast = cents(remainder * share);
    }
  }
  return monthly;
}

/** Each closed month allocated, and the cost year to date with its reconciliation (direct against full, by class). */
function costYear(inp: FinanceInputs): { allocated: Allocated[]; ytdMonths: string[]; ytd: Allocated[]; cost: CostReconciliation | null } {
  // Cost: allocate each closed month, then the cost year to date.
  const allocated = allocateMonths(inp);
  const ytdMonths = costYearMonths(allocated.map((a) => a.month));
  const ytd = allocated.filter((a) => ytdMonths.includes(a.month));
  const byClass: Record<CostClass, number> = { clinical: 0, medical_technical: 0, medical_auxiliary: 0, administrative: 0 };
  for (const a of ytd) for (const r of a.rows.values()) byClass[r.cls] += r.directCents;
  const cost: CostReconciliation | null = ytd.length === 0 ? null : {
    months: ytdMonths, directCents: ytd.reduce((s, a) => s + a.directCents, 0), fullCents: ytd.reduce((s, a) => s + a.fullCents, 0), byClass,
  };
  return { allocated, ytdMonths, ytd, cost };
}

/** Every department's step-down trail over the cost year to date (administration first, clinical last). */
function allocationRows(inp: FinanceInputs, ytd: readonly Allocated[]): AllocationRow[] {
  const classOrder: CostClass[] = ['administrative', 'medical_auxiliary', 'medical_technical', 'clinical'];
  return ytd.length === 0 ? [] : inp.departments.map((d) => {
    const row: AllocationRow = { id: d.id, zh: d.zh, en: d.en, cls: d.cls, directCents: 0, fromAdministrative: 0, fromAuxiliary: 0, fromTechnical: 0, passedOnCents: 0, fullCents: 0 };
    for (const a of ytd) {
      const r = a.rows.get(d.id);
      if (!r) continue;
      row.directCents += r.directCents;
      row.fromAdministrative += r.fromAdministrative;
      row.fromAuxiliary += r.fromAuxiliary;
      row.fromTechnical += r.fromTechnical;
      row.fullCents += r.fullCents;
    }
    if (d.cls !== 'clinical') row.passedOnCents = row.directCents + row.fromAdministrative + row.fromAuxiliary + row.fromTechnical;
    return row;
  }).sort((a, b) => classOrder.indexOf(a.cls) - classOrder.indexOf(b.cls) || (a.id < b.id ? -1 : 1));
}

/** Each department's wards over the workload's days, occupancy as the catalogue's bed occupancy. */
function wardsOf(inp: FinanceInputs): Map<string, DepartmentViewData['wards']> {
  const wardsByDept = new Map<string, DepartmentViewData['wards']>();
  for (const w of inp.wards) {
    const list = wardsByDept.get(w.departmentId) ?? [];
    list.push({ id: w.id, zh: w.zh, en: w.en, averageOpenBeds: w.days > 0 ? w.openBedDays / w.days : 0, occupancy: kpiValue(kpi('bed_occupancy'), { ...emptyFigures(), occupiedBeds: w.occupiedBedDays, openBeds: w.openBedDays }), admissions: w.admissions, discharges: w.discharges });
    wardsByDept.set(w.departmentId, list);
  }
  return wardsByDept;
}


/** The budget screen and every department's view for one night. */
export function buildFinanceScreens(inp: FinanceInputs): { budget: BudgetScreenData; detail: BudgetLinesData; departments: DepartmentViewData[] } {
  const deptList = sortNamed(inp.departments.map((d) => ({ id: d.id, zh: d.zh, en: d.en, cls: d.cls })));
  const lines = budgetViews(inp.budget, inp.budgetYear, inp.thresholds);
  const monthsDone = lines[0]?.monthsDone ?? 0;
  const timeProgress = monthsDone / 12;
  const closedMonth = monthsDone > 0 ? `${inp.budgetYear}-${String(Math.max(...lines.map((l) => l.monthActual.findLastIndex((a) => a !== null))) + 1).padStart(2, '0')}` : null;


  const byItem = [...new Set(lines.map((l) => l.item))].map((item) => {
    const ls = lines.filter((l) => l.item === item);
    return { item, itemType: ls[0]!.itemType, ...budgetItemName(item), ...totalsOf(ls) };
  }).sort((a, b) => (a.itemType === b.itemType ? b.annual - a.annual : a.itemType === 'revenue' ? -1 : 1));
  const worst = [...lines].filter((l) => adversePp(l) > 0).sort((a, b) => adversePp(b) - adversePp(a)).slice(0, 10);




  const { allocated, ytdMonths, ytd, cost } = costYear(inp);
  const monthly = budgetMonthly(lines, inp.budgetYear);
  const clinical = inp.departments.filter((d) => d.cls === 'clinical');
  const measures = new Map(inp.departments.map((d) => [d.id, measuresOf(inp, ytd, d.id, d.cls)]));
  const clinicalMeasures = new Map(clinical.map((d) => [d.id, measures.get(d.id)!.measures]));
  const readings = readIndicators(inp.model.indicators, clinicalMeasures);
  const balances: DepartmentBalanceRow[] = ytd.length === 0 ? [] : clinical.map((d) => {
    const m = measures.get(d.id)!.measures;
    return { id: d.id, zh: d.zh, en: d.en, income: cents(m.revenue), fullCost: cents(m.full_cost), balance: cents(m.revenue - m.full_cost), margin: m.revenue > 0 ? (m.revenue - m.full_cost) / m.revenue : null };
  }).sort((a, b) => b.balance - a.balance);
  const allocation = allocationRows(inp, ytd);
  const budget: BudgetScreenData = {
    asOf: inp.asOf, year: inp.budgetYear, closedMonth, monthsDone, timeProgress, thresholds: inp.thresholds, drivers: inp.model.drivers,
    revenue: totalsOf(lines.filter((l) => l.itemType === 'revenue')), expense: totalsOf(lines.filter((l) => l.itemType === 'expense')),
    monthly, byItem, worst, departments: deptList, cost, balances,
  };
  const detail: BudgetLinesData = { asOf: inp.asOf, year: inp.budgetYear, lines, allocation };


  const view: DepartmentContext = { inp, lines, timeProgress, deptList, allocated, ytd, ytdMonths, measures, readings, wardsByDept: wardsOf(inp) };
  const departments = inp.departments.map((d) => departmentView(view, d));
  return { budget, detail, departments };
}

