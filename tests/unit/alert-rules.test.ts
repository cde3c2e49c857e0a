/** Every alert rule on hand-made inputs, at and just around its thresholds (the shipped defaults). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../functions/domain/calendar.ts';
import { EVALUATORS, evaluateRules, type AlertInputs } from '../../functions/domain/alert-rules.ts';
import { loadAlertCatalogue, type AlertRule } from '../../functions/domain/alerts.ts';
import type { QualityAssessment } from '../../functions/domain/data-quality.ts';
import type { EnrichedCase } from '../../functions/domain/drg.ts';

const SHIPPED = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'alert-rules.json'), 'utf8'));
const RULES = loadAlertCatalogue(SHIPPED, 'alert-rules.json');
const rule = (id: string): AlertRule => RULES.find((r) => r.id === id)!;
const ASOF = '2026-06-15';

function inputs(extra: Partial<AlertInputs> = {}): AlertInputs {
  return {
    asOf: ASOF, departments: new Map([['D1', { zh: '心内科', en: 'Cardiology' }]]), wards: new Map([['W1', { zh: '一病区', en: 'Ward 1', departmentId: 'D1' }]]),
    items: new Map([['A01', { zh: '阿司匹林', en: 'Aspirin' }]]), chargeExcess: [], itemUse: [], useFrom: null, census: [], cases: [], budget: [], quality: [], ...extra,
  };
}
const run = (id: string, inp: AlertInputs) => EVALUATORS[id]!(inp, rule(id));
const count = (id: string, inp: AlertInputs) => run(id, inp).findings.length;

const ZERO = { drug: 0, material: 0, exam: 0, lab: 0, treatment: 0, surgery: 0, other: 0 };
let seq = 0;
function kase(extra: Partial<EnrichedCase> = {}): EnrichedCase {
  const cost = extra.feeTotal ?? 1000;
  return {
    caseId: `Z${++seq}`, patientId: `P${seq}`, admissionDate: '2026-05-01', dischargeDate: '2026-05-10', campusId: 'C01', departmentId: 'D1', doctorGroupId: 'G1',
    drgCode: 'FM19', losDays: 9, outcome: 'improved', insuranceType: 'employee', feeTotal: cost, fees: { ...ZERO, other: cost },
    weight: 1, adrg: 'FM1', groupName: '组', payment: 1000, benchmark: { avgCost: 1000, avgLos: 10, mortality: 0.01 }, ratio: cost / 1000,
    outlier: null, dipScore: 100, riskTier: 'mid_low', ...extra,
  };
}
const many = (n: number, extra: Partial<EnrichedCase> | ((i: number) => Partial<EnrichedCase>)) => Array.from({ length: n }, (_, i) => kase(typeof extra === 'function' ? extra(i) : extra));

describe('the catalogue', () => {
  it('ships seventeen rules, each with an evaluator, parameters and an owner', () => {
    expect(RULES).toHaveLength(17);
    for (const r of RULES) expect(EVALUATORS[r.id], r.id).toBeDefined();
    expect(() => evaluateRules(RULES, inputs())).not.toThrow();
  });
  it('takes a hospital\'s overrides and refuses unknown rules and parameters', () => {
    const changed = loadAlertCatalogue(SHIPPED, 'x', { rules: { bed_occupancy_low: { enabled: false }, drug_use_growth: { params: { growth: 0.3 }, severity: 'P1' } } }, 'config/alert-rules.json');
    expect(changed.find((r) => r.id === 'bed_occupancy_low')!.enabled).toBe(false);
    expect(changed.find((r) => r.id === 'drug_use_growth')).toMatchObject({ severity: 'P1', params: { growth: 0.3, floor: 500, windowDays: 30 } });
    expect(evaluateRules(changed, inputs()).results.map((r) => r.rule.id)).not.toContain('bed_occupancy_low');
    expect(() => loadAlertCatalogue(SHIPPED, 'x', { rules: { nope: { enabled: false } } }, 'o.json')).toThrow(/no rule "nope"/);
    expect(() => loadAlertCatalogue(SHIPPED, 'x', { rules: { drug_use_growth: { params: { growht: 1 } } } }, 'o.json')).toThrow(/has no parameter "growht"/);
    expect(() => loadAlertCatalogue({ version: '1', rules: [{ ...SHIPPED.rules[0], severity: 'P9' }] }, 'bad.json')).toThrow(/invalid alert rule catalogue bad.json: rules.0.severity/);
  });
});

describe('insurance fund supervision', () => {
  it('duplicate charges: patient-item-days over the limit within the last 7 days', () => {
    const row = (day: string) => ({ patientId: 'P1', itemCode: 'A01', day, quantity: 2, dailyLimit: 1, lines: 2, departmentId: 'D1' });
    expect(count('duplicate_charges', inputs({ chargeExcess: [row(ASOF), row(addDays(ASOF, -6))] }))).toBe(2);
    expect(count('duplicate_charges', inputs({ chargeExcess: [row(addDays(ASOF, -7))] }))).toBe(0);
    expect(run('duplicate_charges', inputs({ chargeExcess: [row(ASOF)] })).findings[0]).toMatchObject({ entity: 'P1/A01', period: ASOF, severity: 'P2', evidence: { quantity: 2, dailyLimit: 1 } });
    // The drill: that patient's lines of that item on that day.
    expect(run('duplicate_charges', inputs({ chargeExcess: [row(ASOF)] })).findings[0]!.link).toBe('/analyst/charges?by=lines&from=2026-06-15&to=2026-06-15&patient=P1&item=A01');
  });

  it('readmission within 15 days in the same ADRG', () => {
    const pair = (gap: number, adrg = 'FM1') => [
      kase({ patientId: 'P9', admissionDate: '2026-05-20', dischargeDate: '2026-05-25', adrg: 'FM1' }),
      kase({ patientId: 'P9', admissionDate: addDays('2026-05-25', gap), dischargeDate: addDays('2026-05-25', gap + 3), adrg }),
    ];
    expect(count('readmission_same_adrg', inputs({ cases: pair(15) }))).toBe(1);
    expect(count('readmission_same_adrg', inputs({ cases: pair(16) }))).toBe(0);
    expect(count('readmission_same_adrg', inputs({ cases: pair(3, 'GB2') }))).toBe(0);
    expect(run('readmission_same_adrg', inputs({ cases: pair(0) })).findings[0]!.evidence).toMatchObject({ gapDays: 0, adrg: 'FM1' });
  });

  it('use growth over 50% on the 30 days before, with a floor of 500', () => {
    const use = (before: number, now: number) => inputs({
      useFrom: '2026-01-01',
      itemUse: [{ departmentId: 'D1', itemCode: 'A01', day: addDays(ASOF, -40), quantity: before }, { departmentId: 'D1', itemCode: 'A01', day: addDays(ASOF, -5), quantity: now }],
    });
    expect(count('drug_use_growth', use(500, 751))).toBe(1);
    // The drill: the department's daily use of the item over both 30-day windows (17 April to 15 June).
    expect(run('drug_use_growth', use(500, 751)).findings[0]!.link).toBe('/analyst/charges?by=day&from=2026-04-17&to=2026-06-15&department=D1&item=A01');
    expect(count('drug_use_growth', use(500, 750))).toBe(0); // exactly +50%
    expect(count('drug_use_growth', use(499, 5000))).toBe(0); // under the floor
    const short = run('drug_use_growth', { ...use(500, 751), useFrom: addDays(ASOF, -30) });
    expect([short.findings.length, short.skipped?.en]).toEqual([0, `needs charge lines for the 60 days from ${addDays(ASOF, -59)}`]);
  });

  it('use z-score above 3 against the 12 months before', () => {
    // Twelve months alternating 90 and 110: mean 100, standard deviation 10; May (the last complete month) is tested.
    const history = Array.from({ length: 12 }, (_, i) => ({ departmentId: 'D1', itemCode: 'A01', day: `${addDays('2025-05-15', 31 * i).slice(0, 7)}-15`, quantity: i % 2 ? 110 : 90 }));
    const may = (q: number) => inputs({ useFrom: '2025-01-01', itemUse: [...history, { departmentId: 'D1', itemCode: 'A01', day: '2026-05-20', quantity: q }] });
    expect(history.map((h) => h.day.slice(0, 7))).toEqual(['2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04']);
    expect(count('drug_use_zscore', may(131))).toBe(1);
    // The drill: monthly use over the twelve months and May itself.
    expect(run('drug_use_zscore', may(131)).findings[0]!.link).toBe('/analyst/charges?by=month&from=2025-05-01&to=2026-05-31&department=D1&item=A01');
    expect(count('drug_use_zscore', may(130))).toBe(0); // z = 3 exactly
    expect(run('drug_use_zscore', { ...may(131), useFrom: '2025-06-01' }).skipped).toBeDefined();
  });
});

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

describe('operations', () => {
  const census = (rates: number[], end = ASOF) => rates.map((r, i) => ({ wardId: 'W1', departmentId: 'D1', day: addDays(end, -(rates.length - 1 - i)), openBeds: 200, occupiedBeds: r * 2 }));
  it('ward over capacity: the month so far above 100%', () => {
    expect(count('bed_occupancy_over', inputs({ census: census([...Array(14).fill(100), 107]) }))).toBe(1); // mean 100.47%
    expect(count('bed_occupancy_over', inputs({ census: census([...Array(14).fill(100), 100]) }))).toBe(0);
    expect(count('bed_occupancy_over', inputs({ census: census([...Array(14).fill(90), 120]) }))).toBe(0); // one busy night
  });
  it('ward over capacity early in a month: two busy days are not a month; the last complete month is judged instead', () => {
    // 1–2 June at 188.5%, and May at 90% every day: on 2 June the rule judges May, and finds nothing.
    const may = census(Array(31).fill(90), '2026-05-31');
    const june = census([188.5, 188.5], '2026-06-02');
    const early = run('bed_occupancy_over', inputs({ asOf: '2026-06-02', census: [...may, ...june] }));
    expect(early.findings).toEqual([]);
    expect(early.covers('2026-05')).toBe(true);
    expect(early.covers('2026-06')).toBe(false); // June's alerts are left alone until June can be judged
    // May at 103% on 2 June: found, for May, saying so.
    const busyMay = run('bed_occupancy_over', inputs({ asOf: '2026-06-02', census: [...census(Array(31).fill(103), '2026-05-31'), ...june] }));
    expect(busyMay.findings.map((f) => [f.period, f.evidence.days, f.zh.includes('2026-05 全月')])).toEqual([['2026-05', 31, true]]);
    // From the 7th (minDays) the month to date is judged: 7 days at 101%.
    const seventh = run('bed_occupancy_over', inputs({ asOf: '2026-06-07', census: [...may, ...census(Array(7).fill(101), '2026-06-07')] }));
    expect(seventh.findings.map((f) => [f.period, f.evidence.days])).toEqual([['2026-06', 7]]);
    expect(seventh.findings[0]!.zh).toContain('本月至今（7 天）');
  });
  it('above 95% for 7 days running', () => {
    expect(count('bed_occupancy_high', inputs({ census: census(Array(7).fill(95.5)) }))).toBe(1);
    expect(count('bed_occupancy_high', inputs({ census: census([95, ...Array(6).fill(99)]) }))).toBe(0);
  });
  it('below 75% over 30 days', () => {
    expect(count('bed_occupancy_low', inputs({ census: census([...Array(29).fill(75), 72]) }))).toBe(1); // mean 74.9%
    expect(count('bed_occupancy_low', inputs({ census: census(Array(30).fill(75)) }))).toBe(0);
  });
});

describe('data quality', () => {
  it('raises P1 and P2 issues of the last seven nights, not P3', () => {
    const q = (date: string, severity: 'P1' | 'P2' | 'P3'): QualityAssessment => ({
      date, night: date, ingestedAt: null, status: 'critical', sources: [], totals: null,
      issues: [{ severity, code: 'missing_source', table: 'charge_lines', zh: '缺', en: 'missing' }],
    });
    const f = run('data_quality', inputs({ quality: [q(addDays(ASOF, -7), 'P1'), q(addDays(ASOF, -6), 'P1'), q(ASOF, 'P2'), q(ASOF, 'P3')] })).findings;
    expect(f.map((x) => [x.period, x.severity])).toEqual([[addDays(ASOF, -6), 'P1'], [ASOF, 'P2']]);
  });
});
