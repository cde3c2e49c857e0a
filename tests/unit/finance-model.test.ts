/** The finance model's shared steps by hand: the cost year, the workload's periods, income and drivers by class. */
import { describe, expect, it } from 'vitest';
import { costYearMonths, driversOf, emptyFacts, income, workloadPeriods } from '../../functions/domain/finance-model.ts';

describe('finance model', () => {
  it('takes the cost year to date as the closed months of the newest closed month\'s year', () => {
    expect(costYearMonths(['2025-11', '2026-02', '2025-12', '2026-01'])).toEqual(['2026-01', '2026-02']);
    expect(costYearMonths([])).toEqual([]);
  });
  it('compares the month to date with the same days a year earlier, 29 February with the 28th', () => {
    expect(workloadPeriods('2026-03-10')).toEqual({ from: '2026-03-01', to: '2026-03-10', lastYearFrom: '2025-03-01', lastYearTo: '2025-03-10' });
    expect(workloadPeriods('2024-02-29')).toEqual({ from: '2024-02-01', to: '2024-02-29', lastYearFrom: '2023-02-01', lastYearTo: '2023-02-28' });
  });
  it('counts a clinical department\'s patients\' charges as income, others\' booked revenue, and workload as visits plus bed-days', () => {
    const f = { ...emptyFacts(), outpatientRevenue: 100, inpatientRevenue: 300, bookedRevenue: 50, visits: 20, occupiedBedDays: 15, headcount: 4, floorArea: 80 };
    expect(income('clinical', f)).toBe(400);
    expect(income('medical_auxiliary', f)).toBe(50);
    expect(driversOf('clinical', f)).toEqual({ headcount: 4, floor_area: 80, workload: 35, revenue: 400 });
  });
});
