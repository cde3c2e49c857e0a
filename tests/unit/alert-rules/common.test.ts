/** What every rule shares: thresholds crossed strictly (not by floating-point noise), the last complete month, findings. */
import { describe, expect, it } from 'vitest';
import { above, below, finding, lastCompleteMonth, name, pct, PATIENT_LEVEL_RULES } from '../../../functions/domain/alert-rules/common.ts';
import { rule } from '../../support/alert-inputs.ts';

describe('rule helpers', () => {
  it('crosses a threshold only by more than floating-point noise', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(above(0.1 + 0.2, 0.3)).toBe(false);
    expect(above(1.1 * 1000, 1100)).toBe(false);
    expect(above(1.1001, 1.1)).toBe(true);
    expect(below(0.95 - 1e-12, 0.95)).toBe(false);
    expect(below(0.9499, 0.95)).toBe(true);
  });
  it('judges the last complete month, and names what it knows', () => {
    expect(lastCompleteMonth('2026-06-15')).toBe('2026-05');
    expect(lastCompleteMonth('2026-01-03')).toBe('2025-12');
    expect(name(new Map([['D1', { zh: '心内科', en: 'Cardiology' }]]), 'D9')).toEqual({ zh: 'D9', en: 'D9' });
    expect(pct(0.1234)).toBe('12.3%');
  });
  it('gives a finding its rule\'s id and severity unless it says otherwise', () => {
    const base = { entity: 'W1', entityZh: '一病区', entityEn: 'Ward 1', departmentId: 'D1', period: '2026-06', zh: '甲', en: 'a', evidence: {}, link: null };
    expect(finding(rule('bed_occupancy_over'), base)).toMatchObject({ ruleId: 'bed_occupancy_over', severity: rule('bed_occupancy_over').severity });
    expect(finding(rule('bed_occupancy_over'), { ...base, severity: 'P1' }).severity).toBe('P1');
    expect([...PATIENT_LEVEL_RULES].sort()).toEqual(['duplicate_charges', 'low_risk_death', 'readmission_same_adrg']);
  });
});
