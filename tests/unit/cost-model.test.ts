/**
 * The cost model's small rules by hand (allocation and unit costs on a five-department hospital are in
 * finance-screens.test.ts): indicator values, medians, and a model file's mistakes named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indicatorValue, median, parseCostModel, type Measures } from '../../functions/domain/cost-model.ts';

const SHIPPED = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'cost-model.json'), 'utf8'));

describe('cost model', () => {
  it('takes the median of the values there are', () => {
    expect(median([3, null, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([null, null])).toBeNull();
  });
  it('divides an indicator\'s numerator by its denominator and scales it, with no value over zero', () => {
    const m = { full_cost: 1200, bed_days: 40 } as unknown as Measures;
    expect(indicatorValue({ numerator: 'full_cost', denominator: 'bed_days', scale: 1 }, m)).toBe(30);
    expect(indicatorValue({ numerator: 'full_cost', denominator: 'visits', scale: 100 }, { ...m, visits: 0 } as Measures)).toBeNull();
  });
  it('reads the shipped model and names the file of a broken one', () => {
    expect(parseCostModel(SHIPPED, 'data/cost-model.json').indicators.length).toBeGreaterThanOrEqual(6);
    expect(() => parseCostModel({ ...SHIPPED, indicators: 'x' }, 'config/cost-model.json')).toThrow(/config\/cost-model\.json/);
  });
});
