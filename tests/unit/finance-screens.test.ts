/**
 * Integrated cost and budget screens on a hand-made hospital: five departments, one month, every figure worked out in
 * the comments (amounts in cents where the domain counts cents).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgetLines, budgetStatus, budgetYear, type BudgetMonth } from '../../functions/domain/budget.ts';
import { allocateElements, median, parseCostModel, readIndicators, unitCosts, type CostModel, type Measures, type MonitoringIndicator } from '../../functions/domain/cost-model.ts';
import { buildFinanceScreens } from '../../functions/domain/finance-screens.ts';
import { emptyFacts, workloadPeriods, type DepartmentFacts, type FinanceInputs } from '../../functions/domain/finance-model.ts';

const DRIVERS = { administrative: 'headcount', medical_auxiliary: 'floor_area', medical_technical: 'revenue' } as const;
const z = { headcount: 0, floor_area: 0, workload: 0, revenue: 0 };

// A (administration) 600.00 personnel + 400.00 other; X (auxiliary) 300.00 personnel; T (technical) 200.00 materials;
// C1 (clinical) 500.00 drugs + 100.00 personnel; C2 (clinical) 200.00 personnel.
// Drivers: headcount X 10, T 20, C1 30, C2 40; floor area T 100, C1 100, C2 200; revenue C1 400, C2 0 (zero share).
const HAND = [
  { id: 'A', cls: 'administrative' as const, elements: { personnel: 60_000, other_operating: 40_000 }, drivers: { ...z, headcount: 10 } },
  { id: 'X', cls: 'medical_auxiliary' as const, elements: { personnel: 30_000 }, drivers: { ...z, headcount: 10 } },
  { id: 'T', cls: 'medical_technical' as const, elements: { health_materials: 20_000 }, drivers: { ...z, headcount: 20, floor_area: 100 } },
  { id: 'C1', cls: 'clinical' as const, elements: { drugs: 50_000, personnel: 10_000 }, drivers: { ...z, headcount: 30, floor_area: 100, revenue: 400 } },
  { id: 'C2', cls: 'clinical' as const, elements: { personnel: 20_000 }, drivers: { ...z, headcount: 40, floor_area: 200, revenue: 0 } },
];

describe('allocation by cost element', () => {
  it('steps each element down on its own and keeps the composition (hand-worked)', () => {
    const r = allocateElements(HAND, DRIVERS);
    const c1 = r.departments.find((d) => d.id === 'C1')!;
    const c2 = r.departments.find((d) => d.id === 'C2')!;
    // Level 1 by headcount (X 10 : T 20 : C1 30 : C2 40): personnel 600.00 → 60, 120, 180, 240; other 400.00 → 40, 80, 120, 160.
    // Level 2 by floor area (T 100 : C1 100 : C2 200): personnel 300 + 60 = 360 → 90, 90, 180; other 40 → 10, 10, 20.
    // Level 3 by revenue (C1 400 : C2 0): personnel 120 + 90 = 210, other 80 + 10 = 90, materials 200 — all to C1.
    expect(c1.received).toMatchObject({ personnel: 18_000 + 9_000 + 21_000, other_operating: 12_000 + 1_000 + 9_000, health_materials: 20_000, drugs: 0 });
    expect(c1).toMatchObject({ fromAdministrative: 30_000, fromAuxiliary: 10_000, fromTechnical: 50_000, directCents: 60_000, fullCents: 150_000 });
    expect(c2.received).toMatchObject({ personnel: 24_000 + 18_000, other_operating: 16_000 + 2_000, health_materials: 0 });
    expect(c2).toMatchObject({ fromAdministrative: 40_000, fromAuxiliary: 20_000, fromTechnical: 0, fullCents: 80_000 });
    expect(r.directCents).toBe(230_000);
    expect(r.fullCents).toBe(230_000);
    // Allocating classes keep nothing.
    expect(r.departments.filter((d) => d.cls !== 'clinical').map((d) => d.fullCents)).toEqual([0, 0, 0]);
  });

  it('reconciles each element to the cent on amounts that do not split evenly', () => {
    // 100.01 of administration over 3 equal receivers, 0.01 of auxiliary over two: every element still adds up.
    const odd = [
      { id: 'A', cls: 'administrative' as const, elements: { personnel: 10_001, amortisation: 1 }, drivers: { ...z, headcount: 1 } },
      { id: 'X', cls: 'medical_auxiliary' as const, elements: { risk_fund: 1 }, drivers: { ...z, headcount: 1 } },
      { id: 'T', cls: 'medical_technical' as const, elements: {}, drivers: { ...z, headcount: 1, floor_area: 1 } },
      { id: 'C', cls: 'clinical' as const, elements: {}, drivers: { ...z, headcount: 1, floor_area: 1, revenue: 1 } },
    ];
    const r = allocateElements(odd, DRIVERS);
    expect(r.fullCents).toBe(10_003);
    expect(r.departments.find((d) => d.id === 'C')!.received).toMatchObject({ personnel: 10_001, amortisation: 1, risk_fund: 1 });
  });
});

describe('unit costs and monitoring indicators', () => {
  it('splits full cost by the outpatient share of revenue (hand-worked)', () => {
    // Full cost 1,500; revenue 100 outpatient + 300 inpatient → 25% outpatient: 375 over 50 visits = 7.5;
    // 1,125 inpatient over 45 bed-days = 25 and over 5 discharges = 225.
    expect(unitCosts({ full_cost: 1500, outpatient_revenue: 100, inpatient_revenue: 300, visits: 50, bed_days: 45, discharges: 5 }))
      .toEqual({ outpatientShare: 0.25, perVisit: 7.5, perBedDay: 25, perDischarge: 225 });
    expect(unitCosts({ full_cost: 1500, outpatient_revenue: 0, inpatient_revenue: 0, visits: 50, bed_days: 45, discharges: 5 }).perVisit).toBeNull();
    expect(unitCosts({ full_cost: 1500, outpatient_revenue: 100, inpatient_revenue: 0, visits: 0, bed_days: 0, discharges: 0 })).toEqual({ outpatientShare: 1, perVisit: null, perBedDay: null, perDischarge: null });
  });

  it('reads each indicator against the median in its direction, 5% either side counting as level', () => {
    const ind = (id: string, direction: MonitoringIndicator['direction']): MonitoringIndicator => ({
      id, dimension: 'people', zh: id, en: id, definitionZh: 'x', definitionEn: 'x', numerator: 'personnel', denominator: 'revenue', scale: 100, unitZh: '元', unitEn: 'CNY', direction,
    });
    const m = (personnel: number, revenue: number) => ({ personnel, revenue }) as Measures;
    // Per ¥100 revenue: 10, 20, 30, 20.9, 21.1 and one with no revenue (left out of the median). Median of five = 20.9.
    const measures = new Map([['a', m(10, 100)], ['b', m(20, 100)], ['c', m(30, 100)], ['d', m(20.9, 100)], ['e', m(21.1, 100)], ['f', m(5, 0)]]);
    const r = readIndicators([ind('lower', 'lower'), ind('neutral', 'neutral')], measures);
    const read = (id: string) => r.get(id)![0]!;
    expect(read('a').median).toBeCloseTo(20.9, 12);
    expect(read('a').vsMedian).toBe('better'); // 10 vs 20.9: lower is better
    expect(read('c').vsMedian).toBe('worse');
    expect(read('b').vsMedian).toBe('level'); // 20 is 4.3% below 20.9
    expect(read('e').vsMedian).toBe('level'); // 21.1 is 0.96% above
    expect(read('f')).toMatchObject({ value: null, vsMedian: null });
    expect(r.get('c')![1]!.vsMedian).toBeNull(); // neutral: no judgement
    expect(median([3, null, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('ships a valid cost model and names the field of a bad one', () => {
    const shipped = parseCostModel(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'cost-model.json'), 'utf8')), 'data/cost-model.json');
    expect(new Set(shipped.indicators.map((i) => i.dimension))).toEqual(new Set(['people', 'equipment', 'drugs_materials', 'space', 'beds', 'energy']));
    const bad = { version: 1, drivers: DRIVERS, indicators: [{ ...shipped.indicators[0], numerator: 'salary' }] };
    expect(() => parseCostModel(bad, 'cfg.json')).toThrow(/cfg\.json.*indicators\.0\.numerator/);
    expect(() => parseCostModel({ ...bad, indicators: [shipped.indicators[0], shipped.indicators[0]] }, 'cfg.json')).toThrow(/appears twice/);
    expect(() => parseCostModel({ ...bad, drivers: { ...DRIVERS, medical_technical: 'beds' } }, 'cfg.json')).toThrow(/drivers\.medical_technical/);
  });
});

describe('budget: adjustments, status and the year a night reports on', () => {
  const months = (year: string, f: (m: number) => Partial<BudgetMonth>): BudgetMonth[] =>
    Array.from({ length: 12 }, (_, i) => ({ departmentId: 'D1', item: 'personnel', itemType: 'expense' as const, month: `${year}-${String(i + 1).padStart(2, '0')}`, plan: 100, actual: null, ...f(i + 1) }));

  it('reads a mid-year adjustment: the plan in force, the original and the trail', () => {
    // 100 a month, adjusted to 120 from July with a note; 110 a month spent January to June.
    const rows = months('2026', (m) => ({ ...(m >= 7 ? { plan: 120, original: 100, note: '新增设备' } : {}), actual: m <= 6 ? 110 : null }));
    const [l] = budgetLines(rows, '2026');
    expect(l).toMatchObject({ annual: 1320, originalAnnual: 1200, ytd: 660, monthsDone: 6 });
    expect(l!.adjustments).toEqual([7, 8, 9, 10, 11, 12].map((m) => ({ month: `2026-${String(m).padStart(2, '0')}`, original: 100, adjusted: 120, note: '新增设备' })));
    // 660 ÷ 1,320 = 50% against 6/12 = 50%: level. Against the original 1,200 it would have read 55%, 5 points ahead.
    expect(l!.execution).toBeCloseTo(0.5, 12);
    expect(l!.deviationPp).toBeCloseTo(0, 9);
  });

  it('reports on last year until this year has a closed month', () => {
    const rows = [...months('2025', () => ({ actual: 100 })), ...months('2026', () => ({}))];
    expect(budgetYear(rows, '2026-01-15')).toBe('2025');
    expect(budgetYear([...rows.slice(0, 12), ...months('2026', (m) => ({ actual: m === 1 ? 90 : null }))], '2026-02-03')).toBe('2026');
    expect(budgetYear([], '2026-02-03')).toBe('2026');
    // A month after the night (a replayed night) does not count.
    expect(budgetYear(months('2026', (m) => ({ actual: m <= 5 ? 1 : null })), '2026-03-10')).toBe('2026');
    // December's year-end: all twelve months closed, execution over the whole year.
    const [l] = budgetLines(months('2025', () => ({ actual: 105 })), '2025');
    expect(l).toMatchObject({ monthsDone: 12, timeProgress: 1, ytd: 1260, forecast: 1260, reaches100: '2025-12' });
  });

  it('reads revenue and expense in opposite directions, at and around the thresholds', () => {
    const t = { expenseWarnPp: 10, expenseCriticalPp: 20, revenueWarnPp: 10 };
    const e = (deviationPp: number, execution = 0.5) => budgetStatus({ itemType: 'expense', deviationPp, execution }, t);
    const r = (deviationPp: number) => budgetStatus({ itemType: 'revenue', deviationPp, execution: 0.5 }, t);
    expect([e(10), e(10.01), e(20), e(20.01), e(-30), e(0, 1.0001)]).toEqual(['ok', 'warn', 'warn', 'critical', 'ok', 'critical']);
    expect([r(-10), r(-10.01), r(30)]).toEqual(['ok', 'warn', 'ok']);
  });
});

describe('finance screens', () => {
  const facts = (f: Partial<DepartmentFacts>): DepartmentFacts => ({ ...emptyFacts(), ...f });
  const model: CostModel = {
    drivers: DRIVERS,
    indicators: [{ id: 'cost_per_bed_day', dimension: 'beds', zh: '床日成本', en: 'Cost per bed-day', definitionZh: 'x', definitionEn: 'x', numerator: 'inpatient_full_cost', denominator: 'bed_days', scale: 1, unitZh: '元', unitEn: 'CNY', direction: 'lower' }],
  };
  const month = new Map<string, DepartmentFacts>([
    ['A', facts({ costCents: { personnel: 60_000, other_operating: 40_000 }, headcount: 10 })],
    ['X', facts({ costCents: { personnel: 30_000 }, headcount: 10 })],
    ['T', facts({ costCents: { health_materials: 20_000 }, headcount: 20, floorArea: 100, bookedRevenue: 250 })],
    ['C1', facts({ costCents: { drugs: 50_000, personnel: 10_000 }, headcount: 30, floorArea: 100, outpatientRevenue: 100, inpatientRevenue: 300, visits: 50, occupiedBedDays: 45, openBedDays: 62, discharges: 5 })],
    ['C2', facts({ costCents: { personnel: 20_000 }, headcount: 40, floorArea: 200, inpatientRevenue: 0, occupiedBedDays: 10, openBedDays: 31 })],
  ]);
  const dept = (id: string, cls: 'administrative' | 'medical_auxiliary' | 'medical_technical' | 'clinical') => ({ id, zh: id, en: id, cls, campusId: 'C01' });
  const inputs: FinanceInputs = {
    asOf: '2026-04-12',
    departments: [dept('A', 'administrative'), dept('X', 'medical_auxiliary'), dept('T', 'medical_technical'), dept('C1', 'clinical'), dept('C2', 'clinical')],
    campuses: new Map([['C01', { zh: '本部', en: 'Main' }]]),
    months: new Map([['2026-03', month]]),
    budget: Array.from({ length: 12 }, (_, i) => ({ departmentId: 'C1', item: 'medical_revenue', itemType: 'revenue' as const, month: `2026-${String(i + 1).padStart(2, '0')}`, plan: 1000, actual: i < 3 ? 800 : null })),
    budgetYear: '2026',
    workload: { ...workloadPeriods('2026-04-12'), current: new Map([['C1', facts({ visits: 30, emergencyVisits: 5, discharges: 4, losDays: 20, openBedDays: 24, occupiedBedDays: 18 })]]), lastYear: new Map() },
    wards: [{ id: 'C1W1', zh: '一病区', en: 'Ward 1', departmentId: 'C1', openBedDays: 24, occupiedBedDays: 18, admissions: 3, discharges: 4, days: 12 }],
    model,
    thresholds: { expenseWarnPp: 10, expenseCriticalPp: 20, revenueWarnPp: 10 },
  };

  it('gives each department its full cost, balance, unit costs and wards (the hand-made month)', () => {
    const { budget, detail, departments } = buildFinanceScreens(inputs);
    expect(budget.cost).toMatchObject({ months: ['2026-03'], directCents: 230_000, fullCents: 230_000, byClass: { administrative: 100_000, medical_auxiliary: 30_000, medical_technical: 20_000, clinical: 80_000 } });
    const c1 = departments.find((d) => d.department.id === 'C1')!;
    // Income 100 + 300 = 400 against full cost 1,500 (see the allocation test): balance −1,100, margin −275%.
    expect(c1.finance).toMatchObject({ income: 400, directCost: 600, fullCost: 1500, balance: -1100, passedOn: null, allocated: { fromAdministrative: 300, fromAuxiliary: 100, fromTechnical: 500 } });
    expect(c1.finance!.margin).toBeCloseTo(-2.75, 12);
    expect(c1.composition.find((c) => c.element === 'personnel')).toMatchObject({ direct: 100, received: 480, full: 580 });
    expect(c1.unitCosts).toEqual({ outpatientShare: 0.25, perVisit: 7.5, perBedDay: 25, perDischarge: 225 });
    // Cost per bed-day: inpatient full cost 1,125 ÷ 45 = 25; C2 has no revenue, so no inpatient share: 0 ÷ 10 = 0. Median 12.5.
    expect(c1.indicators[0]).toMatchObject({ value: 25, median: 12.5, vsMedian: 'worse' });
    // Month to date: 18 of 24 bed-days occupied; 20 bed-days over 4 discharges.
    expect(c1.workload.tiles.find((t) => t.kpi === 'bed_occupancy')!.value).toBe(75);
    expect(c1.workload.tiles.find((t) => t.kpi === 'avg_los')!.value).toBe(5);
    expect(c1.workload.tiles.find((t) => t.kpi === 'outpatient_visits')!.value).toBe(25);
    expect(c1.wards).toEqual([{ id: 'C1W1', zh: '一病区', en: 'Ward 1', averageOpenBeds: 2, occupancy: 75, admissions: 3, discharges: 4 }]);
    // An auxiliary department passes on its direct 300 and the 100 it received from administration.
    const x = departments.find((d) => d.department.id === 'X')!;
    expect(x.finance).toMatchObject({ fullCost: null, balance: null, passedOn: 400, directCost: 300 });
    expect(x.indicators).toEqual([]);
    // The technical department's income is what finance booked for it.
    expect(departments.find((d) => d.department.id === 'T')!.finance!.income).toBe(250);
    expect(budget.balances.map((b) => [b.id, b.balance])).toEqual([['C2', -800], ['C1', -1100]]);
    // The finance office's trail, classes in step-down order: T passes on 200 + 200 from administration + 100 from auxiliary.
    expect(detail.allocation.map((r) => [r.id, r.directCents, r.fromAdministrative, r.fromAuxiliary, r.fromTechnical, r.passedOnCents, r.fullCents])).toEqual([
      ['A', 100_000, 0, 0, 0, 100_000, 0],
      ['X', 30_000, 10_000, 0, 0, 40_000, 0],
      ['T', 20_000, 20_000, 10_000, 0, 50_000, 0],
      ['C1', 60_000, 30_000, 10_000, 50_000, 0, 150_000],
      ['C2', 20_000, 40_000, 20_000, 0, 0, 80_000],
    ]);
  });

  it('adds up the budget and spreads the forecast over the open months by their plan', () => {
    const { budget } = buildFinanceScreens(inputs);
    // 800 a month for three months against 1,000 a month: 2,400 of 12,000 = 20% against 25% time progress, 5 points behind.
    expect(budget.revenue).toMatchObject({ annual: 12_000, ytd: 2400, lines: 1, warn: 0 });
    expect(budget.revenue.deviationPp).toBeCloseTo(-5, 9);
    expect(budget.closedMonth).toBe('2026-03');
    // No last year: straight line 2,400 × 12 ÷ 3 = 9,600, so 7,200 over the nine open months (equal plans): 800 each.
    expect(budget.monthly[3]).toMatchObject({ month: '2026-04', revenueActual: null, revenueForecast: 800, revenuePlan: 1000 });
    expect(budget.monthly[0]).toMatchObject({ revenueActual: 800, revenueForecast: null });
    expect(budget.worst.map((l) => l.item)).toEqual(['medical_revenue']);
  });

  it('compares month to date with the same days a year earlier, 29 February included', () => {
    expect(workloadPeriods('2028-02-29')).toEqual({ from: '2028-02-01', to: '2028-02-29', lastYearFrom: '2027-02-01', lastYearTo: '2027-02-28' });
    expect(workloadPeriods('2026-11-22')).toEqual({ from: '2026-11-01', to: '2026-11-22', lastYearFrom: '2025-11-01', lastYearTo: '2025-11-22' });
  });
});
