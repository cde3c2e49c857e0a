/** The explorer's periods and comparisons, calendar-aligned (worked out on a calendar by hand), and the hospital's targets. */
import { describe, expect, it } from 'vitest';
import { comparisonSpan, explorePeriod, parseTargets, type ExplorePeriod } from '../../functions/domain/explore.ts';

const period = (grain: Parameters<typeof explorePeriod>[0], date: string, asOf: string): ExplorePeriod => {
  const p = explorePeriod(grain, date, asOf);
  if ('error' in p) throw new Error(p.error.en);
  return p;
};

describe('periods', () => {
  it('cuts a period at the newest night and says it is partial', () => {
    expect(period('month', '2024-03-05', '2024-03-10')).toMatchObject({ from: '2024-03-01', to: '2024-03-31', dataTo: '2024-03-10', partial: true, days: 10, daysInPeriod: 31 });
    expect(period('quarter', '2024-02-10', '2024-03-31')).toMatchObject({ from: '2024-01-01', to: '2024-03-31', partial: false, days: 91 });
    expect(period('ytd', '2024-03-10', '2024-03-10')).toMatchObject({ from: '2024-01-01', to: '2024-03-10', days: 70, partial: false });
  });
  it('refuses a period that has not begun', () => {
    const p = explorePeriod('month', '2024-04-01', '2024-03-10');
    expect('error' in p && p.error.en).toBe('No data yet for 2024-04: the newest night is 2024-03-10');
  });
});

describe('comparisons', () => {
  it('compares a complete month with the whole month a year earlier, leap days included', () => {
    expect(comparisonSpan(period('month', '2025-02-01', '2025-03-10'), 'yoy')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });
  it('compares a partial period with the same days, clamped to the shorter month', () => {
    expect(comparisonSpan(period('month', '2024-03-10', '2024-03-10'), 'mom')).toEqual({ from: '2024-02-01', to: '2024-02-10' });
    expect(comparisonSpan(period('month', '2024-03-31', '2024-03-31'), 'mom')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(comparisonSpan(period('day', '2024-03-01', '2024-03-10'), 'mom')).toEqual({ from: '2024-02-29', to: '2024-02-29' });
  });
  it('has no month-on-month for a year', () => {
    const s = comparisonSpan(period('year', '2023-06-01', '2024-03-10'), 'mom');
    expect('error' in s && s.error.en).toMatch(/no month-on-month/);
  });
});

describe('targets', () => {
  it('takes targets of catalogue KPIs with their basis, and names the field of a bad one', () => {
    expect(parseTargets({ targets: [{ kpi: 'drug_share', value: 30, basisZh: '院内目标', basisEn: 'hospital goal' }] }, 't.json')).toHaveLength(1);
    expect(() => parseTargets({ targets: [{ kpi: 'nope', value: 1, basisZh: '', basisEn: '' }] }, 't.json')).toThrow(/t\.json targets\[0\]\.kpi/);
    expect(() => parseTargets({ targets: [{ kpi: 'drug_share', value: '30', basisZh: '', basisEn: '' }] }, 't.json')).toThrow(/targets\[0\]\.value/);
  });
});
