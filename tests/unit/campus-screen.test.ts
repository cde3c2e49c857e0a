/** The campus wall's tiles from hand-made daily sums: month to date, the same days a year and a month earlier, the day, the trend. */
import { describe, expect, it } from 'vitest';
import { buildCampusScreen, comparisonPeriods, sumPeriod, TREND_DAYS, type DailyFigures } from '../../functions/domain/campus-screen.ts';
import { emptyFigures, type Figures } from '../../functions/domain/kpis/measures.ts';

const day = (x: Partial<Figures>): Figures => ({ ...emptyFigures(), ...x });
// Campus C1: 2 and 3 March 2026 (100 and 120 visits, 10 of 20 and 16 of 20 beds), 2 February (90 visits), 2 and 3 March
// 2025 (80 visits, 10 of 20 beds each day). Campus C2: 3 March 2026 only, 30 visits.
const daily: DailyFigures = new Map([
  ['C1', new Map([
    ['2026-03-02', day({ outpatientVisits: 100, occupiedBeds: 10, openBeds: 20 })], ['2026-03-03', day({ outpatientVisits: 120, occupiedBeds: 16, openBeds: 20 })],
    ['2026-02-02', day({ outpatientVisits: 90 })], ['2025-03-02', day({ outpatientVisits: 40, occupiedBeds: 10, openBeds: 20 })], ['2025-03-03', day({ outpatientVisits: 40, occupiedBeds: 10, openBeds: 20 })],
  ])],
  ['C2', new Map([['2026-03-03', day({ outpatientVisits: 30 })]])],
]);

describe('campus screen', () => {
  it('sums the days of the period and keeps the last day apart', () => {
    const s = sumPeriod(daily, ['C1', 'C2'], { from: '2026-03-01', to: '2026-03-03' });
    expect(s.sum.outpatientVisits).toBe(250);
    expect(s.last.outpatientVisits).toBe(150);
    expect(s.days).toBe(2);
  });

  it('builds tiles month to date with YoY and MoM on the same days, and no value where a period has no data', () => {
    const screen = buildCampusScreen(daily, [{ id: 'C1', zh: '本部', en: 'Main' }, { id: 'C2', zh: '东院', en: 'East' }], '2026-03-03');
    const hospital = screen.scopes[0]!;
    const visits = hospital.tiles.find((t) => t.kpi === 'outpatient_visits')!;
    expect(visits).toMatchObject({ value: 250, partial: true, day: 150, period: { from: '2026-03-01', to: '2026-03-03' } });
    // A year earlier: 80 visits (+212.5%); a month earlier, 1–3 February: 90 (+177.8%).
    expect(visits.yoy).toMatchObject({ value: 80, changeKind: 'relative' });
    expect(visits.yoy.change).toBeCloseTo(170 / 80, 12);
    expect(visits.mom.change).toBeCloseTo(160 / 90, 12);
    // Occupancy: 26 of 40 bed-days = 65%; a year earlier 20 of 40 = 50%: +15 percentage points.
    const beds = hospital.tiles.find((t) => t.kpi === 'bed_occupancy')!;
    expect(beds.value).toBe(65);
    expect(beds.yoy).toMatchObject({ value: 50, change: 15, changeKind: 'points' });
    // February had no census: occupancy has no value then, never 0.
    expect(beds.mom).toMatchObject({ value: null, change: null });
    expect(visits.trend).toHaveLength(TREND_DAYS);
    expect(visits.trend.at(-2)).toEqual({ date: '2026-03-02', value: 100 });
    expect(visits.trend[0]).toEqual({ date: '2026-02-02', value: 90 });
    expect(screen.scopes.map((s) => s.scope)).toEqual(['hospital', 'C1', 'C2']);
  });

  it('compares the last day of a long month with the last day of a short one', () => {
    expect(comparisonPeriods('2024-03-31')).toEqual({
      current: { from: '2024-03-01', to: '2024-03-31' }, yoy: { from: '2023-03-01', to: '2023-03-31' }, mom: { from: '2024-02-01', to: '2024-02-29' }, partial: false,
    });
  });
});
