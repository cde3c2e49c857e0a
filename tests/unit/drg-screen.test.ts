/** The DRG wall's periods: the trend is the last twelve complete months, never a partial one beside whole ones. */
import { describe, expect, it } from 'vitest';
import { drgPeriods } from '../../functions/domain/drg-screen.ts';

describe('DRG periods', () => {
  it('ends the trend at the last complete month, and reads from whichever starts first', () => {
    expect(drgPeriods('2026-12-02')).toEqual({
      month: { from: '2026-12-01', to: '2026-12-02' }, ytd: { from: '2026-01-01', to: '2026-12-02' }, trendFrom: '2025-12-01', trendTo: '2026-11-01', readFrom: '2025-12-01',
    });
    // On a month's last day the month is complete: it ends the trend.
    expect(drgPeriods('2026-11-30')).toMatchObject({ trendFrom: '2025-12-01', trendTo: '2026-11-01' });
    // Early in the year the year to date starts after the trend.
    expect(drgPeriods('2026-02-10')).toMatchObject({ trendFrom: '2025-02-01', trendTo: '2026-01-01', readFrom: '2025-02-01' });
  });
});
