/** DRG rules on hand-made cases, at and just around their thresholds (the shipped defaults). */
import { describe, expect, it } from 'vitest';
import { ASOF, inputs, run, count, kase, many } from '../../support/alert-inputs.ts';

describe('DRG', () => {
  it('outlier cases: 3 high-multiple cases in a department this month, or a low share above 25% of at least 20', () => {
    const june = { dischargeDate: '2026-06-10' };
    expect(count('drg_outlier_cases', inputs({ cases: many(3, { ...june, outlier: 'high' }) }))).toBe(1);
    expect(count('drg_outlier_cases', inputs({ cases: many(2, { ...june, outlier: 'high' }) }))).toBe(0);
    expect(count('drg_outlier_cases', inputs({ cases: many(20, (i) => ({ ...june, outlier: i < 6 ? 'low' : null })) }))).toBe(1); // 30%
    expect(count('drg_outlier_cases', inputs({ cases: many(20, (i) => ({ ...june, outlier: i < 5 ? 'low' : null })) }))).toBe(0); // 25% exactly
    expect(count('drg_outlier_cases', inputs({ cases: many(19, (i) => ({ ...june, outlier: i < 10 ? 'low' : null })) }))).toBe(0); // too few cases
  });

  it('a group losing money in each of the last two complete months with at least 20 settled cases', () => {
    const month = (m: string, n: number, cost: number) => many(n, { dischargeDate: `${m}-10`, feeTotal: cost, payment: 1000 });
    expect(count('drg_group_losing', inputs({ cases: [...month('2026-05', 20, 1001), ...month('2026-04', 20, 1001)] }))).toBe(1);
    expect(count('drg_group_losing', inputs({ cases: [...month('2026-05', 19, 1001), ...month('2026-04', 20, 1001)] }))).toBe(0);
    expect(count('drg_group_losing', inputs({ cases: [...month('2026-05', 20, 1001), ...month('2026-04', 20, 1000)] }))).toBe(0); // April breaks even
    expect(run('drg_group_losing', inputs({ cases: [...month('2026-05', 20, 1001), ...month('2026-04', 20, 1001)] })).findings[0]).toMatchObject({ entity: 'FM19', period: '2026-05', evidence: { 'pnl_2026-05': -20 } });
  });

  it('efficiency index above 1.1 with at least 30 benchmarked cases, last complete month', () => {
    const may = (n: number, cost: number) => many(n, { dischargeDate: '2026-05-10', feeTotal: cost, losDays: 10 });
    expect(count('drg_efficiency_index', inputs({ cases: may(30, 1101) }))).toBe(1);
    expect(count('drg_efficiency_index', inputs({ cases: may(30, 1100) }))).toBe(0);
    expect(count('drg_efficiency_index', inputs({ cases: may(29, 2000) }))).toBe(0);
  });

  it('any death in a low-risk group, as a P1', () => {
    const f = run('low_risk_death', inputs({ cases: [kase({ dischargeDate: ASOF, outcome: 'death', riskTier: 'low' }), kase({ dischargeDate: ASOF, outcome: 'death', riskTier: 'mid_low' })] })).findings;
    expect(f.map((x) => x.severity)).toEqual(['P1']);
  });

  it('grouping rate under 95% with at least 100 discharges', () => {
    const may = (grouped: number) => many(100, (i) => ({ dischargeDate: '2026-05-10', ...(i < grouped ? {} : { drgCode: null, weight: null }) }));
    expect(run('drg_grouping_rate', inputs({ cases: may(94) })).findings.map((f) => f.entity)).toEqual(['hospital', 'D1']);
    expect(count('drg_grouping_rate', inputs({ cases: may(95) }))).toBe(0);
  });

  it('average stay above 1.2 × the case-mix benchmark', () => {
    const may = (los: number) => many(30, { dischargeDate: '2026-05-10', losDays: los });
    expect(count('los_above_benchmark', inputs({ cases: may(12.1) }))).toBe(1);
    expect(count('los_above_benchmark', inputs({ cases: may(12) }))).toBe(0);
  });
});
