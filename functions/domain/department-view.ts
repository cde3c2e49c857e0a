/**
 * A department director's view (the tablet): workload as catalogue KPIs, income, full cost and balance over the cost
 * year to date, cost composition and unit costs, the six-dimension indicators against the clinical median, the
 * department's budget lines and its wards.
 */
import { toDayNumber } from './calendar.ts';
import { COST_ELEMENTS } from './contract.ts';
import { DIMENSIONS, ELEMENT_NAMES, unitCosts, type IndicatorReading, type Measures } from './cost-model.ts';
import { cents, CLASS_NAMES, cnyOf, emptyFacts, income, sortNamed, type Allocated, type BudgetLineView, type CompositionRow, type DepartmentFacts, type DepartmentInfo, type DepartmentViewData, type FinanceInputs, type Named, type WorkloadTile } from './finance-model.ts';
import type { CostClass } from './cost-allocation.ts';
import { kpisOn } from './kpis/catalog.ts';
import { emptyFigures, type Figures } from './kpis/measures.ts';
import { kpiValue, type Kpi } from './kpis/model.ts';
import { UNITS } from './kpis/units.ts';

/** What every department's view is built from (computed once for the night). */
export interface DepartmentContext {
  inp: FinanceInputs;
  lines: readonly BudgetLineView[];
  timeProgress: number;
  deptList: (Named & { id: string; cls: CostClass })[];
  allocated: readonly Allocated[];
  ytd: readonly Allocated[];
  ytdMonths: string[];
  measures: ReadonlyMap<string, { measures: Measures; facts: DepartmentFacts; openBedMonths: number }>;
  readings: ReadonlyMap<string, IndicatorReading[]>;
  wardsByDept: ReadonlyMap<string, DepartmentViewData['wards']>;
}

export function departmentView(ctx: DepartmentContext, d: DepartmentInfo): DepartmentViewData {
  const { inp, lines, timeProgress, deptList, allocated, ytd, ytdMonths, measures, readings, wardsByDept } = ctx;
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
  // The department's facts as the model's measures, once for this month and once for last year; every tile reads them.
  const now = { figures: departmentFigures(cur), days: daysBetween(inp.workload.from, inp.workload.to) };
  const before = ly ? { figures: departmentFigures(ly), days: daysBetween(inp.workload.lastYearFrom, inp.workload.lastYearTo) } : undefined;
  const tiles = kpisOn('department').map((k) => workloadTile(k, now, before));
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

type Period = { figures: Figures; days: number };

function workloadTile(k: Kpi, now: Period, before: Period | undefined): WorkloadTile {
  const u = UNITS[k.unit];
  return {
    kpi: k.id, zh: k.zh, en: k.en, value: kpiValue(k, now.figures, undefined, now.days), lastYear: before ? kpiValue(k, before.figures, undefined, before.days) : null,
    unit: k.unit, unitZh: u.zh, unitEn: u.en, digits: u.digits, tileDigits: u.tileDigits, direction: k.direction, changeKind: k.unit === 'percent' ? 'points' : 'relative',
  };
}

