/** The DRG explorer never sums part of a range: a range over its case cap is refused with the reason, not truncated. */
import { describe, expect, it } from 'vitest';
import { exploreDrg, drgExploreQuery } from '../../functions/api/drg-explore.ts';
import type { DrgRules } from '../../functions/domain/drg.ts';
import type { QueryEngine } from '../../functions/ports.ts';

const RULES = { outlierRuleSet: 'x', outlierRuleSets: { x: { zh: 'x', en: 'x', high: 2, low: 0.5 } }, lowRiskThreshold: 0.2 } as unknown as DrgRules;

/** An engine whose case query always has more rows than the cap asked for (as a year at scale l had 734,654). */
const overfull: QueryEngine = {
  query: async (_sql, o) => ({ rows: [], truncated: o?.maxRows !== undefined, elapsedMs: 0 }),
  close: async () => {},
};

describe('DRG explorer cap', () => {
  it('refuses a range over the cap with 422 and a reason in both languages, for every level', async () => {
    for (const level of ['group', 'department', 'doctor_group', 'case'] as const) {
      const q = drgExploreQuery.parse({ level, from: `2026-01-0${level.length % 9 + 1}`, to: '2026-11-30' });
      const r = await exploreDrg(overfull, RULES, q, '2026-12-01');
      expect('error' in r, level).toBe(true);
      if (!('error' in r)) continue;
      expect(r.status).toBe(422);
      expect(r.code).toBe('too_many_cases');
      expect(r.error.zh).toContain('500,000');
      expect(r.error.en).toContain('nothing is shown');
    }
  });
});
