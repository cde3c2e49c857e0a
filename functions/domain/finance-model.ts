/**
 * The integrated-cost and budget model the finance screens are built from: a department's facts, the night's inputs,
 * the shapes of the budget screen, the budget lines and the department view, and the shared steps (budget line views,
 * monthly step-down allocation, a department's measures). Money in CNY except where a name says cents.
 */
import { addDays, daysInMonth, shiftMonths } from './calendar.ts';
import type { KpiDirection } from './kpis/model.ts';
import type { KpiUnit } from './kpis/units.ts';
import { BUDGET_ITEM_NAMES, budgetItemName, budgetLines, budgetStatus, type BudgetAdjustment, type BudgetLine, type BudgetMonth, type BudgetStatus, type BudgetThresholds } from './budget.ts';
import type { AllocatedDepartment, CostClass, CostDriver } from './cost-allocation.ts';
import { allocateElements, type CostElement, type CostModel, type Dimension, type Measures, type UnitCosts } from './cost-model.ts';
import { COST_ELEMENTS } from './contract.ts';

export interface Named { zh: string; en: string }

export { BUDGET_ITEM_NAMES, budgetItemName };

export const CLASS_NAMES: Record<CostClass, Named> = {
  clinical: { zh: '临床服务类', en: 'Clinical' },
  medical_technical: { zh: '医疗技术类', en: 'Medical-technical' },
  medical_auxiliary: { zh: '医疗辅助类', en: 'Medical-auxiliary' },
  administrative: { zh: '行政后勤类', en: 'Administrative-logistics' },
};

export interface DepartmentInfo extends Named {
  id: string;
  cls: CostClass;
  campusId: string;
}

/** One department's figures for one month (or, for the workload, a span of days). Money in CNY; costs in cents. */
export interface DepartmentFacts {
  /** Direct cost per element, in cents (the costing system's month). */
  costCents: Partial<Record<CostElement, number>>;
  headcount: number;
  doctors: number;
  nurses: number;
  floorArea: number;
  energyKwh: number;
  energyCost: number;
  visits: number;
  emergencyVisits: number;
  outpatientRevenue: number;
  outpatientDrug: number;
  outpatientMaterial: number;
  discharges: number;
  losDays: number;
  inpatientRevenue: number;
  inpatientDrug: number;
  inpatientMaterial: number;
  openBedDays: number;
  occupiedBedDays: number;
  admissions: number;
  surgeries: number;
  /** Revenue the finance office booked against the department's budget (the income of departments without patients). */
  bookedRevenue: number;
}

export const emptyFacts = (): DepartmentFacts => ({
  costCents: {}, headcount: 0, doctors: 0, nurses: 0, floorArea: 0, energyKwh: 0, energyCost: 0, visits: 0, emergencyVisits: 0,
  outpatientRevenue: 0, outpatientDrug: 0, outpatientMaterial: 0, discharges: 0, losDays: 0, inpatientRevenue: 0, inpatientDrug: 0,
  inpatientMaterial: 0, openBedDays: 0, occupiedBedDays: 0, admissions: 0, surgeries: 0, bookedRevenue: 0,
});

/** A clinical department's income is its patients' charges (outpatient by visit date, inpatient by discharge); the other classes' is what finance booked. */
export const income = (cls: CostClass, f: DepartmentFacts): number => (cls === 'clinical' ? f.outpatientRevenue + f.inpatientRevenue : f.bookedRevenue);

/** The allocation drivers of a department-month. Workload = outpatient and emergency visits + occupied bed-days. */
export const driversOf = (cls: CostClass, f: DepartmentFacts): Record<CostDriver, number> => ({
  headcount: f.headcount, floor_area: f.floorArea, workload: f.visits + f.occupiedBedDays, revenue: income(cls, f),
});

// ── inputs ──

export interface FinanceInputs {
  asOf: string;
  departments: readonly DepartmentInfo[];
  campuses: ReadonlyMap<string, Named>;
  /** Per month (YYYY-MM) and department: the closed months the cost screens cover (up to 12, oldest first). */
  months: ReadonlyMap<string, ReadonlyMap<string, DepartmentFacts>>;
  budget: readonly BudgetMonth[];
  budgetYear: string;
  /** Month to date and the same days a year earlier, per department. */
  workload: { from: string; to: string; current: ReadonlyMap<string, DepartmentFacts>; lastYear: ReadonlyMap<string, DepartmentFacts>; lastYearFrom: string; lastYearTo: string };
  wards: readonly { id: string; zh: string; en: string; departmentId: string; openBedDays: number; occupiedBedDays: number; admissions: number; discharges: number; days: number }[];
  model: CostModel;
  thresholds: BudgetThresholds;
}

// ── outputs ──

export interface BudgetLineView extends Omit<BudgetLine, 'months' | 'adjustments'> {
  zh: string;
  en: string;
  status: BudgetStatus;
  adjustments: BudgetAdjustment[];
  /** January to December of the budget year: the plan in force, and the closed actual (null while open). */
  monthPlan: (number | null)[];
  monthActual: (number | null)[];
}

export interface BudgetTotals {
  annual: number;
  originalAnnual: number;
  ytd: number;
  execution: number | null;
  deviationPp: number | null;
  forecast: number;
  lines: number;
  warn: number;
  critical: number;
}

export interface CostReconciliation {
  months: string[];
  directCents: number;
  fullCents: number;
  /** Direct cost by class, in cents (where the cost sat before allocation). */
  byClass: Record<CostClass, number>;
}

export interface DepartmentBalanceRow extends Named {
  id: string;
  income: number;
  fullCost: number;
  balance: number;
  margin: number | null;
}

export interface BudgetScreenData {
  asOf: string;
  year: string;
  /** Newest closed month of the budget year (YYYY-MM), null when none has closed. */
  closedMonth: string | null;
  monthsDone: number;
  timeProgress: number;
  thresholds: BudgetThresholds;
  revenue: BudgetTotals;
  expense: BudgetTotals;
  /** Hospital-wide plan and actual per month of the year; the forecast for months not yet closed. */
  monthly: { month: string; revenuePlan: number; revenueActual: number | null; revenueForecast: number | null; expensePlan: number; expenseActual: number | null; expenseForecast: number | null }[];
  byItem: (BudgetTotals & Named & { item: string; itemType: 'revenue' | 'expense' })[];
  /** Lines running furthest in their bad direction (expense ahead, revenue behind), worst first. */
  worst: BudgetLineView[];
  departments: (Named & { id: string; cls: CostClass })[];
  cost: CostReconciliation | null;
  /** Clinical departments by balance (income − full cost) over the cost year to date, best first. */
  balances: DepartmentBalanceRow[];
  drivers: CostModel['drivers'];
}

/**
 * The analyst's detail, kept apart from the wall's tiles (a wall polls the small snapshot; this one is ~200 KB and grows
 * with departments × items, so it stays clear of DynamoDB's 400 KB item limit on its own).
 */
export interface BudgetLinesData {
  asOf: string;
  year: string;
  /** Every department × item line with its months and adjustment trail. */
  lines: BudgetLineView[];
  /** The step-down trail of every department over the cost year to date, in cents (the finance office's table). */
  allocation: AllocationRow[];
}

/** One department's step-down trail over the cost year to date (cents), with its name. */
export interface AllocationRow extends Named, AllocatedDepartment {}

/** A department tablet's workload tile: a catalogue KPI over the month to date and the same days a year earlier. */
export interface WorkloadTile extends Named {
  /** The catalogue KPI (GET /api/catalog has its definition). */
  kpi: string;
  value: number | null;
  lastYear: number | null;
  unit: KpiUnit;
  unitZh: string;
  unitEn: string;
  digits: number;
  tileDigits: number;
  direction: KpiDirection;
  /** Relative change for counts and money; percentage points for percentages. */
  changeKind: 'relative' | 'points';
}

export interface CompositionRow extends Named {
  element: CostElement;
  direct: number;
  received: number;
  full: number;
}

export interface IndicatorView extends Named {
  id: string;
  dimension: Dimension;
  dimensionZh: string;
  dimensionEn: string;
  definitionZh: string;
  definitionEn: string;
  unitZh: string;
  unitEn: string;
  direction: 'higher' | 'lower' | 'neutral';
  value: number | null;
  median: number | null;
  vsMedian: 'better' | 'worse' | 'level' | null;
}

export interface DepartmentViewData {
  asOf: string;
  department: DepartmentInfo & { campusZh: string; campusEn: string; classZh: string; classEn: string };
  /** Every department, for the picker. */
  departments: (Named & { id: string; cls: CostClass })[];
  workload: { from: string; to: string; lastYearFrom: string; lastYearTo: string; tiles: WorkloadTile[] };
  /** The cost year to date: the closed months of the newest closed month's year. */
  costMonths: string[];
  finance: {
    income: number;
    directCost: number;
    /** Clinical: direct + allocated. Other classes: null (their cost is passed on to the clinical departments). */
    fullCost: number | null;
    passedOn: number | null;
    balance: number | null;
    margin: number | null;
    allocated: { fromAdministrative: number; fromAuxiliary: number; fromTechnical: number };
  } | null;
  trend: { month: string; income: number; directCost: number; fullCost: number | null; balance: number | null }[];
  composition: CompositionRow[];
  unitCosts: UnitCosts | null;
  indicators: IndicatorView[];
  budgetYear: string;
  budgetTimeProgress: number;
  budget: BudgetLineView[];
  /** Each ward over the workload's days (month to date): occupancy in percent, as the catalogue's bed occupancy. */
  wards: (Named & { id: string; averageOpenBeds: number; occupancy: number | null; admissions: number; discharges: number })[];
  drivers: CostModel['drivers'];
}

// ── builders ──

export const cnyOf = (c: number): number => c / 100;
/** Money rounded to the cent (sums of floating CNY amounts carry binary noise). */
export const cents = (x: number): number => Math.round(x * 100) / 100;

export function totalsOf(lines: readonly BudgetLineView[]): BudgetTotals {
  const annual = lines.reduce((s, l) => s + l.annual, 0);
  const ytd = lines.reduce((s, l) => s + l.ytd, 0);
  const timeProgress = lines[0]?.timeProgress ?? 0;
  const execution = annual > 0 ? ytd / annual : null;
  return {
    annual: cents(annual), originalAnnual: cents(lines.reduce((s, l) => s + l.originalAnnual, 0)), ytd: cents(ytd), execution,
    deviationPp: execution === null ? null : (execution - timeProgress) * 100,
    forecast: cents(lines.reduce((s, l) => s + l.forecast, 0)), lines: lines.length,
    warn: lines.filter((l) => l.status === 'warn').length, critical: lines.filter((l) => l.status === 'critical').length,
  };
}

/** The budget lines of the year with names and status. */
export function budgetViews(rows: readonly BudgetMonth[], year: string, thresholds: BudgetThresholds): BudgetLineView[] {
  return budgetLines(rows, year).map(({ months, ...l }) => {
    const monthPlan: (number | null)[] = Array(12).fill(null);
    const monthActual: (number | null)[] = Array(12).fill(null);
    for (const m of months) {
      const k = Number(m.month.slice(5, 7)) - 1;
      monthPlan[k] = m.plan === null ? null : cents(m.plan);
      monthActual[k] = m.actual === null ? null : cents(m.actual);
    }
    return {
      ...l, annual: cents(l.annual), originalAnnual: cents(l.originalAnnual), ytd: cents(l.ytd), lastYearYtd: cents(l.lastYearYtd), lastYearAnnual: cents(l.lastYearAnnual),
      forecast: cents(l.forecast), ...budgetItemName(l.item), status: budgetStatus(l, thresholds), monthPlan, monthActual,
    };
  })
    .sort((a, b) => (a.departmentId < b.departmentId ? -1 : a.departmentId > b.departmentId ? 1 : a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
}

/** The cost year's months: those of the newest closed month's year (January to that month). */
export function costYearMonths(months: Iterable<string>): string[] {
  const all = [...months].sort();
  const newest = all.at(-1);
  return newest ? all.filter((m) => m.slice(0, 4) === newest.slice(0, 4)) : [];
}

export interface Allocated {
  month: string;
  rows: Map<string, ReturnType<typeof allocateElements>['departments'][number]>;
  directCents: number;
  fullCents: number;
}

export function allocateMonths(inp: FinanceInputs): Allocated[] {
  const cls = new Map(inp.departments.map((d) => [d.id, d.cls]));
  const out: Allocated[] = [];
  for (const [month, facts] of [...inp.months].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const depts = [...facts].filter(([id]) => cls.has(id)).map(([id, f]) => ({ id, cls: cls.get(id)!, elements: f.costCents, drivers: driversOf(cls.get(id)!, f) }));
    const r = allocateElements(depts, inp.model.drivers);
    out.push({ month, rows: new Map(r.departments.map((d) => [d.id, d])), directCents: r.directCents, fullCents: r.fullCents });
  }
  return out;
}

function addFacts(into: DepartmentFacts, f: DepartmentFacts): void {
  for (const e of COST_ELEMENTS) if (f.costCents[e]) into.costCents[e] = (into.costCents[e] ?? 0) + f.costCents[e]!;
  for (const k of Object.keys(into) as (keyof DepartmentFacts)[]) if (k !== 'costCents') (into[k] as number) += f[k] as number;
}

/** A department's measures over a set of months (stocks added up as person-, m²- and bed-months). */
export function measuresOf(inp: FinanceInputs, allocated: readonly Allocated[], deptId: string, cls: CostClass): { measures: Measures; facts: DepartmentFacts; openBedMonths: number } {
  const facts = emptyFacts();
  let full = 0;
  let openBedMonths = 0;
  for (const a of allocated) {
    const f = inp.months.get(a.month)?.get(deptId);
    if (f) {
      addFacts(facts, f);
      const [y, m] = a.month.split('-').map(Number) as [number, number];
      openBedMonths += f.openBedDays / daysInMonth(y, m);
    }
    full += a.rows.get(deptId)?.fullCents ?? 0;
  }
  const revenue = income(cls, facts);
  const ipShare = facts.outpatientRevenue + facts.inpatientRevenue > 0 ? facts.inpatientRevenue / (facts.outpatientRevenue + facts.inpatientRevenue) : 0;
  const direct = COST_ELEMENTS.reduce((s, e) => s + (facts.costCents[e] ?? 0), 0);
  const fullCost = cnyOf(full);
  const measures: Measures = {
    revenue, outpatient_revenue: facts.outpatientRevenue, inpatient_revenue: facts.inpatientRevenue,
    drug_revenue: facts.outpatientDrug + facts.inpatientDrug, material_revenue: facts.outpatientMaterial + facts.inpatientMaterial,
    direct_cost: cnyOf(direct), full_cost: fullCost,
    personnel: cnyOf(facts.costCents.personnel ?? 0), health_materials: cnyOf(facts.costCents.health_materials ?? 0), drugs: cnyOf(facts.costCents.drugs ?? 0),
    depreciation: cnyOf(facts.costCents.depreciation ?? 0), amortisation: cnyOf(facts.costCents.amortisation ?? 0), risk_fund: cnyOf(facts.costCents.risk_fund ?? 0),
    other_operating: cnyOf(facts.costCents.other_operating ?? 0),
    headcount: facts.headcount, doctors: facts.doctors, nurses: facts.nurses, floor_area: facts.floorArea, energy_kwh: facts.energyKwh, energy_cost: facts.energyCost,
    visits: facts.visits, discharges: facts.discharges, bed_days: facts.occupiedBedDays, open_bed_days: facts.openBedDays, open_bed_months: openBedMonths,
    inpatient_full_cost: fullCost * ipShare,
  };
  return { measures, facts, openBedMonths };
}

export const sortNamed = <T extends { id: string }>(xs: T[]): T[] => xs.sort((a, b) => (a.id < b.id ? -1 : 1));

/** Month to date for `asOf` and the same days a year earlier (29 February maps to the 28th). */
export function workloadPeriods(asOf: string): { from: string; to: string; lastYearFrom: string; lastYearTo: string } {
  const from = `${asOf.slice(0, 7)}-01`;
  const lastYearFrom = shiftMonths(from, -12);
  const [y, m] = lastYearFrom.split('-').map(Number) as [number, number];
  const day = Math.min(Number(asOf.slice(8, 10)), daysInMonth(y, m));
  return { from, to: asOf, lastYearFrom, lastYearTo: addDays(lastYearFrom, day - 1) };
}
