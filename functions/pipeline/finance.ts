/**
 * Nightly budget and cost snapshots: reads the budget, the costing system's months, staff and space, and the patient
 * activity through portable SQL, then stores the budget screen (scope "hospital") and one department view per
 * department (screen "department", scope = department id), and the analyst's lines and step-down table (screen
 * "budget-lines"). All arithmetic is in domain/finance-screens.ts.
 */
import { addDays, monthStart, shiftMonths } from '../domain/calendar.ts';
import { budgetYear, DEFAULT_BUDGET_THRESHOLDS, plansInForce, type BudgetMonth, type BudgetThresholds } from '../domain/budget.ts';
import { readBudgetPlans } from '../lake/budget.ts';
import type { AlertRule } from '../domain/alerts.ts';
import type { CostClass } from '../domain/cost-allocation.ts';
import { COST_CLASSES } from '../domain/cost-allocation.ts';
import type { CostElement, CostModel } from '../domain/cost-model.ts';
import { buildFinanceScreens } from '../domain/finance-screens.ts';
import { emptyFacts, workloadPeriods, type DepartmentFacts, type FinanceInputs } from '../domain/finance-model.ts';
import { SNAPSHOT_SCHEMA, type BudgetLinesSnapshotData, type BudgetSnapshotData, type DepartmentSnapshotData } from '../domain/screens.ts';
import type { Clock, ObjectStore, QueryEngine, SnapshotStore } from '../ports.ts';
import { sqlText } from '../sql/index.ts';
import { pipelineStatus, ReportReader } from '../lake/reports.ts';
import { num, str } from '../lake/values.ts';

export interface FinanceDeps {
  engine: QueryEngine;
  snapshots: SnapshotStore;
  store: ObjectStore;
  clock: Clock;
  costModel: CostModel;
  /** The budget thresholds come from the alert catalogue's budget rules, so that screens and alerts agree. */
  alertRules?: readonly AlertRule[];
}


/** The screens' budget thresholds: the alert rules' parameters where those rules are configured, else the defaults. */
export function budgetThresholds(rules: readonly AlertRule[] | undefined): BudgetThresholds {
  const ahead = rules?.find((r) => r.id === 'budget_expense_ahead');
  const behind = rules?.find((r) => r.id === 'budget_revenue_behind');
  return {
    expenseWarnPp: ahead?.params.warnPp ?? DEFAULT_BUDGET_THRESHOLDS.expenseWarnPp,
    expenseCriticalPp: ahead?.params.criticalPp ?? DEFAULT_BUDGET_THRESHOLDS.expenseCriticalPp,
    revenueWarnPp: behind?.params.warnPp !== undefined ? Math.abs(behind.params.warnPp) : DEFAULT_BUDGET_THRESHOLDS.revenueWarnPp,
  };
}

/**
 * The budget of `year` and the year before: the plan in force per month (adjusted where adjusted, with the original
 * and the note kept) and the actuals of the months closed before the night's month (a replayed night does not see
 * months that closed after it).
 */
export async function loadBudgetMonths(engine: QueryEngine, asOf: string, year: number): Promise<BudgetMonth[]> {
  const closedTo = addDays(monthStart(asOf), -1);
  const months = plansInForce(await readBudgetPlans(engine, `${year - 1}-01-01`, `${year}-12-31`));
  const actual = await engine.query(sqlText('budget_actual_months'), { params: [`${year - 1}-01-01`, closedTo < `${year}-12-31` ? closedTo : `${year}-12-31`] });
  const byKey = new Map(months.map((m) => [`${m.departmentId}|${m.item}|${m.month}`, m]));
  for (const r of actual.rows) {
    const key = `${str(r.department_id)}|${str(r.budget_item)}|${str(r.month)}`;
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = { departmentId: str(r.department_id), item: str(r.budget_item), itemType: str(r.item_type) === 'revenue' ? 'revenue' : 'expense', month: str(r.month), plan: null, actual: null }));
    m.actual = num(r.amount);
  }
  return [...byKey.values()];
}

type FactsByMonth = Map<string, Map<string, DepartmentFacts>>;

/** The fields the daily patient facts fill. */
const ACTIVITY = ['visits', 'emergencyVisits', 'outpatientRevenue', 'outpatientDrug', 'outpatientMaterial', 'discharges', 'losDays', 'inpatientRevenue',
  'inpatientDrug', 'inpatientMaterial', 'openBedDays', 'occupiedBedDays', 'admissions', 'surgeries'] as const satisfies readonly (keyof DepartmentFacts)[];

function factsOf(byMonth: FactsByMonth, month: string, dept: string): DepartmentFacts {
  let m = byMonth.get(month);
  if (!m) byMonth.set(month, (m = new Map()));
  let f = m.get(dept);
  if (!f) m.set(dept, (f = emptyFacts()));
  return f;
}

/** Patient activity per department and month over [from, to] (daily facts). */
async function loadActivity(engine: QueryEngine, from: string, to: string, into: FactsByMonth = new Map()): Promise<FactsByMonth> {
  const params = [from, to];
  for (const r of (await engine.query(sqlText('department_outpatient_months'), { params })).rows) {
    const f = factsOf(into, str(r.month), str(r.department_id));
    f.visits += num(r.visits);
    f.emergencyVisits += num(r.emergency_visits);
    f.outpatientRevenue += num(r.revenue);
    f.outpatientDrug += num(r.drug_revenue);
    f.outpatientMaterial += num(r.material_revenue);
  }
  for (const r of (await engine.query(sqlText('department_inpatient_months'), { params })).rows) {
    const f = factsOf(into, str(r.month), str(r.department_id));
    f.discharges += num(r.discharges);
    f.losDays += num(r.los_days);
    f.inpatientRevenue += num(r.revenue);
    f.inpatientDrug += num(r.drug_revenue);
    f.inpatientMaterial += num(r.material_revenue);
  }
  for (const r of (await engine.query(sqlText('department_census_months'), { params })).rows) {
    const f = factsOf(into, str(r.month), str(r.department_id));
    f.openBedDays += num(r.open_bed_days);
    f.occupiedBedDays += num(r.occupied_bed_days);
    f.admissions += num(r.admissions);
  }
  for (const r of (await engine.query(sqlText('department_surgery_months'), { params })).rows) factsOf(into, str(r.month), str(r.department_id)).surgeries += num(r.surgeries);
  return into;
}

/** Everything the finance screens need for night `asOf`. */
/**
 * Closed months' activity per department, kept between the nights of a backfill (every night of a month reads the same
 * twelve closed months). Keyed by the months' span; the pipeline makes one per run.
 */
export type ActivityCache = Map<string, Promise<FactsByMonth>>;

/** Each ward's census over the workload's days, with its name and department. */
async function loadWards(engine: QueryEngine, asOf: string, p: { from: string; to: string }): Promise<FinanceInputs['wards']> {
  const names = { params: [asOf, asOf] };
  const wardNames = new Map((await engine.query(sqlText('wards'), names)).rows.map((r) => [str(r.ward_id), { zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh), departmentId: str(r.department_id) }]));
  const wards = new Map<string, FinanceInputs['wards'][number]>();
  for (const r of (await engine.query(sqlText('ward_census_daily'), { params: [p.from, p.to] })).rows) {
    const id = str(r.ward_id);
    let w = wards.get(id);
    const n = wardNames.get(id) ?? { zh: id, en: id, departmentId: str(r.department_id) };
    if (!w) wards.set(id, (w = { id, zh: n.zh, en: n.en, departmentId: n.departmentId, openBedDays: 0, occupiedBedDays: 0, admissions: 0, discharges: 0, days: 0 }));
    w.openBedDays += num(r.open_beds);
    w.occupiedBedDays += num(r.occupied_beds);
    w.admissions += num(r.admissions);
    w.discharges += num(r.discharges);
    w.days++;
  }

  return [...wards.values()];
}

/** The twelve closed cost months before the night's month: direct costs (cents), resources and activity per department. */
async function loadCostMonths(engine: QueryEngine, asOf: string, cache: ActivityCache): Promise<FactsByMonth> {
  const thisMonth = monthStart(asOf);
  const costFrom = shiftMonths(thisMonth, -12);
  const costTo = addDays(thisMonth, -1);
  const months: FactsByMonth = new Map();
  for (const r of (await engine.query(sqlText('department_costs'), { params: [costFrom, costTo] })).rows) {
    const f = factsOf(months, str(r.month), str(r.department_id));
    const el = str(r.cost_element) as CostElement;
    f.costCents[el] = (f.costCents[el] ?? 0) + Math.round(num(r.amount) * 100);
  }
  const costMonths = new Set(months.keys());
  for (const r of (await engine.query(sqlText('department_resources'), { params: [costFrom, costTo] })).rows) {
    if (!costMonths.has(str(r.month))) continue;
    const f = factsOf(months, str(r.month), str(r.department_id));
    f.headcount += num(r.headcount);
    f.doctors += num(r.doctors);
    f.nurses += num(r.nurses);
    f.floorArea += num(r.floor_area_m2);
    f.energyKwh += num(r.energy_kwh);
    f.energyCost += num(r.energy_cost);
  }
  const span = `${costFrom}|${costTo}`;
  if (!cache.has(span)) cache.set(span, loadActivity(engine, costFrom, costTo));
  const activity = await cache.get(span)!;
  for (const [month, byDept] of activity) {
    if (!costMonths.has(month)) continue;
    for (const [dept, a] of byDept) {
      const f = factsOf(months, month, dept);
      for (const k of ACTIVITY) f[k] += a[k];
    }
  }

  return months;
}

export async function loadFinanceInputs(deps: Pick<FinanceDeps, 'engine' | 'costModel' | 'alertRules'>, asOf: string, cache: ActivityCache = new Map()): Promise<FinanceInputs & { nightYearBudget: BudgetMonth[] }> {
  const { engine } = deps;
  const names = { params: [asOf, asOf] };
  const departments = (await engine.query(sqlText('departments'), names)).rows.map((r) => ({
    id: str(r.department_id), zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh), campusId: str(r.campus_id),
    cls: (COST_CLASSES as readonly string[]).includes(str(r.department_class)) ? (str(r.department_class) as CostClass) : 'clinical',
  }));
  if (departments.length === 0) throw new Error(`截至 ${asOf} 湖中没有科室参考数据，请先导入 / no department reference data in the lake on or before ${asOf}: ingest first`);
  const campuses = new Map((await engine.query(sqlText('campuses'), names)).rows.map((r) => [str(r.campus_id), { zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh) }]));

  // Closed cost months: the twelve before the night's month (the trend); the cost year to date is a subset.
  const months = await loadCostMonths(engine, asOf, cache);
  const costMonths = new Set(months.keys());

  const year = Number(asOf.slice(0, 4));
  const nightYearBudget = await loadBudgetMonths(engine, asOf, year);
  let budget = nightYearBudget;
  let byear = budgetYear(budget, asOf);
  if (byear !== String(year)) {
    budget = await loadBudgetMonths(engine, asOf, Number(byear));
    byear = budgetYear(budget, asOf);
  }
  // Revenue booked by finance: the income (and revenue driver) of departments without patients.
  for (const b of budget) {
    if (b.itemType !== 'revenue' || b.actual === null || !costMonths.has(b.month)) continue;
    factsOf(months, b.month, b.departmentId).bookedRevenue += b.actual;
  }

  const p = workloadPeriods(asOf);
  const current = (await loadActivity(engine, p.from, p.to)).get(asOf.slice(0, 7)) ?? new Map<string, DepartmentFacts>();
  const lastYear = (await loadActivity(engine, p.lastYearFrom, p.lastYearTo)).get(p.lastYearFrom.slice(0, 7)) ?? new Map<string, DepartmentFacts>();

  const wards = await loadWards(engine, asOf, p);

  return {
    asOf, departments, campuses, months, budget, budgetYear: byear, nightYearBudget,
    workload: { ...p, current, lastYear },
    wards,
    model: deps.costModel,
    thresholds: budgetThresholds(deps.alertRules),
  };
}

export interface FinanceAggregateResult {
  asOf: string;
  snapshots: number;
  /** The cost year to date: direct cost against the clinical departments' full cost after allocation, in cents. */
  reconciliation: { months: string[]; directCents: number; fullCents: number } | null;
  /** The budget of the night's calendar year as read (the alert rules use the same rows). */
  budget: BudgetMonth[];
  elapsedMs: number;
}

/** Computes and stores the budget screen and the department views for night `asOf`. */
export async function aggregateFinance(deps: FinanceDeps, asOf: string, reports = new ReportReader(deps.store), cache?: ActivityCache): Promise<FinanceAggregateResult> {
  const started = performance.now();
  const inputs = await loadFinanceInputs(deps, asOf, cache);
  const { budget, detail, departments } = buildFinanceScreens(inputs);
  const pipeline = await pipelineStatus(deps.store, asOf, reports);
  const generatedAt = deps.clock.now().toISOString();
  const data: BudgetSnapshotData = { ...budget, pipeline, schema: SNAPSHOT_SCHEMA };
  await deps.snapshots.put({ screen: 'budget', scope: 'hospital', asOf, generatedAt, data });
  const lines: BudgetLinesSnapshotData = { ...detail, pipeline, schema: SNAPSHOT_SCHEMA };
  await deps.snapshots.put({ screen: 'budget-lines', scope: 'hospital', asOf, generatedAt, data: lines });
  for (const d of departments) {
    const view: DepartmentSnapshotData = { ...d, pipeline, schema: SNAPSHOT_SCHEMA };
    await deps.snapshots.put({ screen: 'department', scope: d.department.id, asOf, generatedAt, data: view });
  }
  return {
    asOf, snapshots: 2 + departments.length, budget: inputs.nightYearBudget,
    reconciliation: budget.cost ? { months: budget.cost.months, directCents: budget.cost.directCents, fullCents: budget.cost.fullCents } : null,
    elapsedMs: performance.now() - started,
  };
}
