/** Budget execution figures on hand-made months (every number worked out in the comments). */
import { describe, expect, it } from 'vitest';
import { budgetLines, type BudgetMonth } from '../../functions/domain/budget.ts';

const plan = (year: string, actuals: (number | null)[], plans: (number | null)[] = Array(12).fill(100)): BudgetMonth[] =>
  actuals.map((a, i) => ({ departmentId: 'D1', item: 'drugs', itemType: 'expense', month: `${year}-${String(i + 1).padStart(2, '0')}`, plan: plans[i]!, actual: a }));

describe('budget execution', () => {
  it("shapes the forecast by last year's months and finds the month it reaches 100%", () => {
    // Last year: 50 a month to May, 150 June–October, 100 in November and December (1,200). This year: 60 a month to May (300).
    const rows = [...plan('2025', [50, 50, 50, 50, 50, 150, 150, 150, 150, 150, 100, 100]), ...plan('2026', [60, 60, 60, 60, 60, null, null, null, null, null, null, null])];
    const [l] = budgetLines(rows, '2026');
    expect(l).toMatchObject({ annual: 1200, ytd: 300, monthsDone: 5, lastYearYtd: 250, lastYearAnnual: 1200 });
    expect(l!.execution).toBeCloseTo(0.25, 12);
    expect(l!.deviationPp).toBeCloseTo((0.25 - 5 / 12) * 100, 9); // −16.67 pp
    // Run-rate 300 ÷ 250 = 1.2 × last year: 1,440 for the year. Cumulative 300, then +180 a month June–October: 1,200 in October.
    expect(l!.forecast).toBeCloseTo(1440, 9);
    expect(l!.reaches100).toBe('2026-10');
  });

  it('falls back to a straight line without last year, and skips items without twelve planned months', () => {
    const rows = plan('2026', [110, 110, 110, 110, 110, null, null, null, null, null, null, null]);
    const [l] = budgetLines(rows, '2026');
    expect(l!.forecast).toBeCloseTo(1320, 9); // 550 × 12 / 5
    expect(l!.reaches100).toBe('2026-11'); // 550 + 110 × 6 = 1,210 ≥ 1,200 in November
    expect(budgetLines(plan('2026', [110, null, null, null, null, null, null, null, null, null, null, null], [...Array(11).fill(100), null]), '2026')).toEqual([]);
  });

  it('reports no month when the year ends short of the budget', () => {
    const [l] = budgetLines(plan('2026', [50, 50, 50, 50, 50, null, null, null, null, null, null, null]), '2026');
    expect(l!.forecast).toBeCloseTo(600, 9);
    expect(l!.reaches100).toBeNull();
  });
});
