/** The named measures: every one named in both languages, sums adding measure by measure. */
import { describe, expect, it } from 'vitest';
import { addFigures, emptyFigures, MEASURE_IDS, MEASURES } from '../../../functions/domain/kpis/measures.ts';

describe('measures', () => {
  it('adds figures measure by measure, a missing measure as nothing', () => {
    const f = emptyFigures();
    addFigures(f, { discharges: 3, losDays: 20 });
    addFigures(f, { discharges: 2 });
    expect(f.discharges).toBe(5);
    expect(f.losDays).toBe(20);
    expect(f.openBeds).toBe(0);
    expect(Object.keys(f).sort()).toEqual([...MEASURE_IDS].sort());
  });
  it('names every measure in both languages', () => {
    for (const [id, n] of Object.entries(MEASURES)) expect(n.zh.length * n.en.length, id).toBeGreaterThan(0);
  });
});
