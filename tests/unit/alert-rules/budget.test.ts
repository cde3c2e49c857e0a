/** Budget rules on a hand-made budget item, at and just around their thresholds (the shipped defaults). */
import { describe, expect, it } from 'vitest';
import type { AlertInputs } from '../../../functions/domain/alert-rules.ts';
import { inputs, run, count } from '../../support/alert-inputs.ts';

describe('budget (as of mid-June: five months of actuals)', () => {
  /** An item budgeted at 100 a month in 2026; last year's actuals 100 a month; this year's actuals spread over January–May. */
  function item(type: 'expense' | 'revenue', ytd: number, lastYear = 100) {
    const rows: AlertInputs['budget'][number][] = [];
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, '0');
      rows.push({ departmentId: 'D1', item: 'drugs', itemType: type, month: `2026-${mm}`, plan: 100, actual: m <= 5 ? ytd / 5 : null });
      rows.push({ departmentId: 'D1', item: 'drugs', itemType: type, month: `2025-${mm}`, plan: 100, actual: lastYear });
    }
    return inputs({ budget: rows });
  }
  // Time progress 5/12 = 41.67%; +10 pp is an execution of 51.67%, i.e. 620 of 1,200.
  it('expense ahead of time progress: over +10 pp a P2, over +20 pp or above 100% a P1', () => {
    expect(run('budget_expense_ahead', item('expense', 621)).findings.map((f) => f.severity)).toEqual(['P2']);
    expect(count('budget_expense_ahead', item('expense', 620))).toBe(0);
    expect(run('budget_expense_ahead', item('expense', 741)).findings.map((f) => f.severity)).toEqual(['P1']); // 61.75%: +20.08 pp
  });
  it('revenue behind time progress by more than 10 pp', () => {
    expect(count('budget_revenue_behind', item('revenue', 379))).toBe(1); // 31.58%: −10.08 pp
    expect(count('budget_revenue_behind', item('revenue', 380))).toBe(0);
  });
  it('judges only items with a whole year planned', () => {
    const partial = item('expense', 900);
    const r = run('budget_expense_ahead', { ...partial, budget: partial.budget.filter((b) => b.month !== '2026-12') });
    expect([r.findings.length, r.skipped?.en]).toEqual([0, 'no item has a twelve-month plan and actuals for 2026']);
  });
  it('forecast overrun beyond 10%, shaped by last year\'s months', () => {
    // Last year 100 a month: the five months are 500 of 1,200, so the forecast is YTD × 2.4; over 1,320 is more than 10% over.
    expect(count('budget_forecast_overrun', item('expense', 551))).toBe(1);
    expect(count('budget_forecast_overrun', item('expense', 550))).toBe(0);
  });
});
