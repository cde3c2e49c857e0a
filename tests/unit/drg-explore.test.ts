/** The DRG explorer never sums part of a range: a range over its case cap is refused with the reason, not truncated. */
import { describe, expect, it } from 'vitest';
import { exploreDrg, drgExploreQuery } from '../../functions/api/drg-explore.ts';
import type { DrgRules } from '../../functions/domain/drg.ts';
import type { Clock, QueryEngine } from '../../functions/ports.ts';
import { Memo } from '../../functions/api/cache.ts';
import { UserError } from '../../functions/domain/user-error.ts';

const CLOCK: Clock = { now: () => new Date('2026-12-02T01:00:00Z'), today: () => '2026-12-02' };

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
      const cache = new Memo(CLOCK, { ttlMs: Infinity, max: 8 });
      const refused = await exploreDrg({ engine: overfull, rules: RULES, cache }, q, '2026-12-01').then(() => undefined, (e: unknown) => e);
      expect(refused, level).toBeInstanceOf(UserError);
      const e = refused as UserError;
      expect(e.status).toBe(422);
      expect(e.code).toBe('too_many_cases');
      expect(e.zh).toContain('500,000');
      expect(e.en).toContain('nothing is shown');
      // A refusal is not kept: the next ask runs again.
      expect(cache.size).toBe(0);
    }
  });
});
