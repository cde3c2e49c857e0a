/** Units as screens and exports name them, in 元 or 万元. */
import { describe, expect, it } from 'vitest';
import { UNITS, unitName } from '../../../functions/domain/kpis/units.ts';

describe('units', () => {
  it('names money per visit in 元 and 万元, and other units as they are', () => {
    expect(unitName('CNY_per_visit', 'yuan')).toEqual({ zh: '元/人次', en: 'CNY per visit' });
    expect(unitName('CNY', 'wan')).toEqual({ zh: '万元', en: '10k CNY' });
    expect(unitName('percent', 'wan')).toEqual({ zh: '%', en: '%' });
    expect(unitName('turns')).toEqual({ zh: '次', en: 'turns' });
  });
  it('keeps counts whole and everything else to two decimals in tables', () => {
    for (const [u, spec] of Object.entries(UNITS)) expect(spec.digits, u).toBe(['visits', 'persons', 'operations'].includes(u) ? 0 : 2);
  });
});
