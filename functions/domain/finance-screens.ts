/**
 * The two cores on screen: the budget wall and analyst view (hospital-wide execution against time progress, the worst
 * deviations, every department × item line with its months and adjustment trail) and the department director's view
 * (workload, income, full cost and balance, budget, cost composition, unit costs, monitoring indicators, wards).
 * Pure functions over figures the pipeline has read; money in CNY except where a name says cents.
 */
import { addDays, daysInMonth, shiftMonths, toDayNumber } from './calendar.ts';
import { kpi, kpisOn } from './kpis/catalog.ts';
import { emptyFigures, type Figures } from './kpis/measures.ts';
import { kpiValue, type Kpi, type KpiDirection } from './kpis/model.ts';
import { UNITS, type KpiUnit } from './kpis/units.ts';
import { adversePp, BUDGET_ITEM_NAMES, budgetItemName, budgetLines, budgetStatus, type BudgetAdjustment, type BudgetLine, type BudgetMonth, type BudgetStatus, type BudgetThresholds } from './budget.ts';
import type { AllocatedDepartment, CostClass, CostDriver } from './cost-allocation.ts';
import { allocateElements, DIMENSIONS, ELEMENT_NAMES, readIndicators, unitCosts, type CostElement, type CostModel, type Dimension, type Measures, type UnitCosts } from './cost-model.ts';
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

const cnyOf = (c: number): number => c / 100;
/** Money rounded to the cent (sums of floating CNY amounts carry binary noise). */
const cents = (x: number): number => Math.round(x * 100) / 100;

function totalsOf(lines: readonly BudgetLineView[]): BudgetTotals {
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

interface Allocated {
  month: string;
  rows: Map<string, ReturnType<typeof allocateElements>['departments'][number]>;
  directCents: number;
  fullCents: number;
}

function allocateMonths(inp: FinanceInputs): Allocated[] {
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
function measuresOf(inp: FinanceInputs, allocated: readonly Allocated[], deptId: string, cls: CostClass): { measures: Measures; facts: DepartmentFacts; openBedMonths: number } {
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

const sortNamed = <T extends { id: string }>(xs: T[]): T[] => xs.sort((a, b) => (a.id < b.id ? -1 : 1));

/** The budget screen and every department's view for one night. */
export function buildFinanceScreens(inp: FinanceInputs): { budget: BudgetScreenData; detail: BudgetLinesData; departments: DepartmentViewData[] } {
  const deptList = sortNamed(inp.departments.map((d) => ({ id: d.id, zh: d.zh, en: d.en, cls: d.cls })));
  const lines = budgetViews(inp.budget, inp.budgetYear, inp.thresholds);
  const monthsDone = lines[0]?.monthsDone ?? 0;
  const timeProgress = monthsDone / 12;
  const closedMonth = monthsDone > 0 ? `${inp.budgetYear}-${String(Math.max(...lines.map((l) => l.monthActual.findLastIndex((a) => a !== null))) + 1).padStart(2, '0')}` : null;

  // Hospital-wide months: plan, closed actual, and each line's forecast month (last year's month × its run-rate) for open months.
  const monthly: BudgetScreenData['monthly'] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${inp.budgetYear}-${String(m).padStart(2, '0')}`;
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

  const byItem = [...new Set(lines.map((l) => l.item))].map((item) => {
    const ls = lines.filter((l) => l.item === item);
    return { item, itemType: ls[0]!.itemType, ...budgetItemName(item), ...totalsOf(ls) };
  }).sort((a, b) => (a.itemType === b.itemType ? b.annual - a.annual : a.itemType === 'revenue' ? -1 : 1));
  const worst = [...lines].filter((l) => adversePp(l) > 0).sort((a, b) => adversePp(b) - adversePp(a)).slice(0, 10);

  // Cost: allocate each closed month, then the cost year to date.
  const allocated = allocateMonths(inp);
  const ytdMonths = costYearMonths(allocated.map((a) => a.month));
  const ytd = allocated.filter((a) => ytdMonths.includes(a.month));
  const byClass: Record<CostClass, number> = { clinical: 0, medical_technical: 0, medical_auxiliary: 0, administrative: 0 };
  for (const a of ytd) for (const r of a.rows.values()) byClass[r.cls] += r.directCents;
  const cost: CostReconciliation | null = ytd.length === 0 ? null : {
    months: ytdMonths, directCents: ytd.reduce((s, a) => s + a.directCents, 0), fullCents: ytd.reduce((s, a) => s + a.fullCents, 0), byClass,
  };

  const clinical = inp.departments.filter((d) => d.cls === 'clinical');
  const measures = new Map(inp.departments.map((d) => [d.id, measuresOf(inp, ytd, d.id, d.cls)]));
  const clinicalMeasures = new Map(clinical.map((d) => [d.id, measures.get(d.id)!.measures]));
  const readings = readIndicators(inp.model.indicators, clinicalMeasures);
  const balances: DepartmentBalanceRow[] = ytd.length === 0 ? [] : clinical.map((d) => {
    const m = measures.get(d.id)!.measures;
    return { id: d.id, zh: d.zh, en: d.en, income: cents(m.revenue), fullCost: cents(m.full_cost), balance: cents(m.revenue - m.full_cost), margin: m.revenue > 0 ? (m.revenue - m.full_cost) / m.revenue : null };
  }).sort((a, b) => b.balance - a.balance);

  const classOrder: CostClass[] = ['administrative', 'medical_auxiliary', 'medical_technical', 'clinical'];
  const allocation: AllocationRow[] = ytd.length === 0 ? [] : inp.departments.map((d) => {
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

  const budget: BudgetScreenData = {
    asOf: inp.asOf, year: inp.budgetYear, closedMonth, monthsDone, timeProgress, thresholds: inp.thresholds, drivers: inp.model.drivers,
    revenue: totalsOf(lines.filter((l) => l.itemType === 'revenue')), expense: totalsOf(lines.filter((l) => l.itemType === 'expense')),
    monthly, byItem, worst, departments: deptList, cost, balances,
  };
  const detail: BudgetLinesData = { asOf: inp.asOf, year: inp.budgetYear, lines, allocation };

  const wardsByDept = new Map<string, DepartmentViewData['wards']>();
  for (const w of inp.wards) {
    const list = wardsByDept.get(w.departmentId) ?? [];
    list.push({ id: w.id, zh: w.zh, en: w.en, averageOpenBeds: w.days > 0 ? w.openBedDays / w.days : 0, occupancy: kpiValue(kpi('bed_occupancy'), { ...emptyFigures(), occupiedBeds: w.occupiedBedDays, openBeds: w.openBedDays }), admissions: w.admissions, discharges: w.discharges });
    wardsByDept.set(w.departmentId, list);
  }

  const departments = inp.departments.map((d): DepartmentViewData => {
    const { measures: m } = measures.get(d.id)!;
    const isClinical = d.cls === 'clinical';
    let fromAdministrative = 0, fromAuxiliary = 0, fromTechnical = 0;
    const composition = COST_ELEMENTS.map((element): CompositionRow => ({ element, ...ELEMENT_NAMES[element], direct: 0, received: 0, full: 0 }));
    for (const a of ytd) {
      const r = a.rows.get(d.id);
      if (!r) continue;
      fromAdministrative += r.fromAdministrative;
      fromAuxiliary += r.fromAuxiliary;
      fromTechnical += r.fromTechnical;
      composition.forEach((c) => {
        c.direct += cnyOf(r.direct[c.element]);
        c.received += cnyOf(r.received[c.element]);
      });
    }
    for (const c of composition) {
      c.direct = cents(c.direct);
      c.received = cents(c.received);
      c.full = isClinical ? cents(c.direct + c.received) : c.direct;
    }
    const passedOn = isClinical ? null : m.direct_cost + cnyOf(fromAdministrative + fromAuxiliary + fromTechnical);
    const trend = allocated.slice(-12).map((a) => {
      const f = inp.months.get(a.month)?.get(d.id);
      const inc = f ? income(d.cls, f) : 0;
      const r = a.rows.get(d.id);
      const full = isClinical && r ? cnyOf(r.fullCents) : null;
      return { month: a.month, income: cents(inc), directCost: r ? cnyOf(r.directCents) : 0, fullCost: full, balance: full === null ? null : cents(inc - full) };
    });
    const cur = inp.workload.current.get(d.id) ?? emptyFacts();
    const ly = inp.workload.lastYear.get(d.id);
    const tiles = kpisOn('department').map((k) => workloadTile(k, cur, ly, daysBetween(inp.workload.from, inp.workload.to), daysBetween(inp.workload.lastYearFrom, inp.workload.lastYearTo)));
    const campus = inp.campuses.get(d.campusId) ?? { zh: d.campusId, en: d.campusId };
    return {
      asOf: inp.asOf,
      department: { ...d, campusZh: campus.zh, campusEn: campus.en, classZh: CLASS_NAMES[d.cls].zh, classEn: CLASS_NAMES[d.cls].en },
      departments: deptList,
      workload: { from: inp.workload.from, to: inp.workload.to, lastYearFrom: inp.workload.lastYearFrom, lastYearTo: inp.workload.lastYearTo, tiles: isClinical ? tiles : tiles.filter((t) => t.kpi === 'medical_revenue') },
      costMonths: ytdMonths,
      finance: ytd.length === 0 ? null : {
        income: cents(m.revenue), directCost: cents(m.direct_cost), fullCost: isClinical ? cents(m.full_cost) : null, passedOn: passedOn === null ? null : cents(passedOn),
        balance: isClinical ? cents(m.revenue - m.full_cost) : null, margin: isClinical && m.revenue > 0 ? (m.revenue - m.full_cost) / m.revenue : null,
        allocated: { fromAdministrative: cnyOf(fromAdministrative), fromAuxiliary: cnyOf(fromAuxiliary), fromTechnical: cnyOf(fromTechnical) },
      },
      trend,
      composition,
      unitCosts: isClinical && ytd.length > 0 ? unitCosts(m) : null,
      indicators: isClinical ? inp.model.indicators.map((ind, k) => {
        const r = readings.get(d.id)![k]!;
        const dim = DIMENSIONS[ind.dimension];
        return { id: ind.id, zh: ind.zh, en: ind.en, dimension: ind.dimension, dimensionZh: dim.zh, dimensionEn: dim.en, definitionZh: ind.definitionZh, definitionEn: ind.definitionEn, unitZh: ind.unitZh, unitEn: ind.unitEn, direction: ind.direction, value: r.value, median: r.median, vsMedian: r.vsMedian };
      }) : [],
      budgetYear: inp.budgetYear,
      budgetTimeProgress: timeProgress,
      budget: lines.filter((l) => l.departmentId === d.id),
      wards: sortNamed(wardsByDept.get(d.id) ?? []),
      drivers: inp.model.drivers,
    };
  });
  return { budget, detail, departments };
}

const daysBetween = (from: string, to: string): number => toDayNumber(to) - toDayNumber(from) + 1;

/** A department-month's facts as the KPI model's measures. */
export function departmentFigures(f: DepartmentFacts): Figures {
  return {
    ...emptyFigures(), outpatientVisits: f.visits - f.emergencyVisits, emergencyVisits: f.emergencyVisits, outpatientRevenue: f.outpatientRevenue,
    admissions: f.admissions, discharges: f.discharges, losDays: f.losDays, inpatientRevenue: f.inpatientRevenue, occupiedBeds: f.occupiedBedDays,
    openBeds: f.openBedDays, surgeries: f.surgeries, drugRevenue: f.outpatientDrug + f.inpatientDrug, materialRevenue: f.outpatientMaterial + f.inpatientMaterial,
  };
}

function workloadTile(k: Kpi, cur: DepartmentFacts, ly: DepartmentFacts | undefined, days: number, lastYearDays: number): WorkloadTile {
  const u = UNITS[k.unit];
  return {
    kpi: k.id, zh: k.zh, en: k.en, value: kpiValue(k, departmentFigures(cur), undefined, days), lastYear: ly ? kpiValue(k, departmentFigures(ly), undefined, lastYearDays) : null,
    unit: k.unit, unitZh: u.zh, unitEn: u.en, digits: u.digits, tileDigits: u.tileDigits, direction: k.direction, changeKind: k.unit === 'percent' ? 'points' : 'relative',
  };
}

/** Month to date for `asOf` and the same days a year earlier (29 February maps to the 28th). */
export function workloadPeriods(asOf: string): { from: string; to: string; lastYearFrom: string; lastYearTo: string } {
  const from = `${asOf.slice(0, 7)}-01`;
  const lastYearFrom = shiftMonths(from, -12);
  const [y, m] = lastYearFrom.split('-').map(Number) as [number, number];
  const day = Math.min(Number(asOf.slice(8, 10)), daysInMonth(y, m));
  return { from, to: asOf, lastYearFrom, lastYearTo: addDays(lastYearFrom, day - 1) };
}
