/** Insurance fund supervision rules on hand-made inputs, at and just around their thresholds (the shipped defaults). */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../functions/domain/calendar.ts';
import { ASOF, inputs, run, count, kase } from '../../support/alert-inputs.ts';

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
