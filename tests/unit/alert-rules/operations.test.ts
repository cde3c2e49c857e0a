/** Ward occupancy rules on a hand-made census, at and just around their thresholds (the shipped defaults). */
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../functions/domain/calendar.ts';
import type { QualityAssessment } from '../../../functions/domain/data-quality.ts';
import { ASOF, inputs, run, count } from '../../support/alert-inputs.ts';

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
