/**
 * DRG/DIP formulas on nine hand-made cases. Every expected figure is worked out by hand in the comments:
 * reference for 2026 — groups A (weight 0.8), B (1.5), C (2.5), D (1.0, no benchmark); base rates employee 10,000,
 * resident 8,000 (self-pay is not DRG-settled); benchmarks A 8,000 / 5 days / mortality 0.001, B 15,000 / 8 / 0.01,
 * C 25,000 / 10 / 0.1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyOutlier, dipCaseScore, enrichCases, parseDrgRules, riskTiers, summarise, type DrgCase, type DrgReference, type DrgRules } from '../../functions/domain/drg.ts';
import { buildDrgScreen, drgPeriods } from '../../functions/domain/drg-screen.ts';

const RULES: DrgRules = parseDrgRules(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'data', 'regions', 'harbin-2024', 'drg-rules.json'), 'utf8')), 'drg-rules.json');
const FLAT: DrgRules = { ...RULES, outlierRuleSet: 'flat' };

const REF: DrgReference = {
  groups: new Map([[2026, new Map([
    ['A', { name: '组A', weight: 0.8, adrg: 'A1', mdc: 'A' }], ['B', { name: '组B', weight: 1.5, adrg: 'B1', mdc: 'B' }],
    ['C', { name: '组C', weight: 2.5, adrg: 'C1', mdc: 'C' }], ['D', { name: '组D', weight: 1.0, adrg: 'D1', mdc: 'D' }],
  ])]]),
  baseRates: new Map([[2026, new Map([['employee', 10000], ['resident', 8000]])]]),
  benchmarks: new Map([[2026, new Map([
    ['A', { avgCost: 8000, avgLos: 5, mortality: 0.001 }], ['B', { avgCost: 15000, avgLos: 8, mortality: 0.01 }], ['C', { avgCost: 25000, avgLos: 10, mortality: 0.1 }],
  ])]]),
};

const ZERO = { drug: 0, material: 0, exam: 0, lab: 0, treatment: 0, surgery: 0, other: 0 };
function kase(id: string, drg: string | null, insurance: string, cost: number, los: number, extra: Partial<DrgCase> = {}): DrgCase {
  return {
    caseId: id, patientId: `P${id}`, admissionDate: '2026-03-05', dischargeDate: '2026-03-10', campusId: 'C01', departmentId: 'D1', doctorGroupId: 'G1', drgCode: drg, losDays: los,
    outcome: 'improved', insuranceType: insurance, feeTotal: cost, fees: { ...ZERO, other: cost }, ...extra,
  };
}

const CASES: DrgCase[] = [
  kase('1', 'A', 'employee', 8000, 5, { fees: { drug: 3000, material: 1000, exam: 1000, lab: 500, treatment: 1500, surgery: 0, other: 1000 } }), // r 1.0
  kase('2', 'A', 'resident', 24000, 6), // r 3.0: high in both sets
  kase('3', 'A', 'employee', 3200, 2, { outcome: 'death' }), // r 0.4: low in both sets; a death in a low-risk group
  kase('4', 'B', 'employee', 30000, 9, { departmentId: 'D2', doctorGroupId: 'G2' }), // r 2.0: high banded (1 < w ≤ 2, ≥ 2), not flat (> 2)
  kase('5', 'B', 'self_pay', 15000, 8, { departmentId: 'D2', doctorGroupId: 'G2' }), // r 1.0, not DRG-settled
  kase('6', 'C', 'resident', 37500, 12, { departmentId: 'D2', doctorGroupId: 'G3', campusId: 'C02' }), // r 1.5: high banded (w > 2, ≥ 1.5), not flat
  kase('7', 'D', 'employee', 5000, 3), // grouped, settled, no benchmark
  kase('8', null, 'employee', 6000, 4), // not grouped
  kase('9', 'A', 'employee', 0, 0), // a zero-cost case: r 0, low
];

describe('DRG formulas on nine hand-made cases', () => {
  const enriched = enrichCases(CASES, REF, RULES);
  const m = summarise(enriched);

  it('counts grouping, weight, CMI and groups', () => {
    expect(m.discharges).toBe(9);
    expect(m.grouped).toBe(8);
    expect(m.groupingRate).toBeCloseTo(8 / 9, 12);
    expect(m.totalWeight).toBeCloseTo(0.8 * 4 + 1.5 * 2 + 2.5 + 1.0, 12); // 9.7
    expect(m.cmi).toBeCloseTo(9.7 / 8, 12); // 1.2125
    expect(m.groupCount).toBe(4);
    expect(m.avgCost).toBeCloseTo(128700 / 9, 9); // 8,000 + 24,000 + 3,200 + 30,000 + 15,000 + 37,500 + 5,000 + 6,000 + 0
    expect(m.avgLos).toBeCloseTo(49 / 9, 12);
  });

  it('prices each settled case at weight × base rate and sums the P&L', () => {
    expect(enriched.map((c) => c.payment)).toEqual([8000, 6400, 8000, 15000, null, 20000, 10000, null, 8000]);
    expect(m.settled).toBe(7);
    expect(m.payment).toBe(75400);
    expect(m.cost).toBe(107700); // charges of the seven settled cases
    expect(m.pnl).toBe(-32300);
    expect(m.margin).toBeCloseTo(-32300 / 75400, 12);
  });

  it('computes the efficiency indices, equal to the per-group formula', () => {
    // Per case: cost ratios 1, 3, 0.4, 2, 1, 1.5, 0 (seven benchmarked cases) → 8.9 / 7.
    // Per group: A 4 cases averaging 8,800 (÷ 8,000 = 1.1), B 2 averaging 22,500 (1.5), C 1 (1.5): (4·1.1 + 2·1.5 + 1.5) / 7 = 8.9 / 7.
    expect(m.benchmarked).toBe(7);
    expect(m.costIndex).toBeCloseTo(8.9 / 7, 12);
    // LOS ratios 5/5, 6/5, 2/5, 9/8, 8/8, 12/10, 0/5 = 1 + 1.2 + 0.4 + 1.125 + 1 + 1.2 + 0 = 5.925.
    expect(m.timeIndex).toBeCloseTo(5.925 / 7, 12);
  });

  it('flags high and low multiples with the banded set and with the flat set', () => {
    expect(enriched.map((c) => c.outlier)).toEqual([null, 'high', 'low', 'high', null, 'high', null, null, 'low']);
    expect([m.highOutliers, m.lowOutliers]).toEqual([3, 2]);
    const flat = enrichCases(CASES, REF, FLAT);
    expect(flat.map((c) => c.outlier)).toEqual([null, 'high', 'low', null, null, null, null, null, 'low']);
  });

  it('scores DIP cases with the 0.5 / 2 bands', () => {
    // type score = weight × 100: A 80, B 150, C 250. r 1 → 80; r 3 → 80 × 2 = 160; r 0.4 → 32; B r 2 → 150; B r 1 → 150; C → 250; D none; r 0 → 0.
    expect(enriched.map((c) => c.dipScore)).toEqual([80, 160, 32, 150, 150, 250, null, null, 0]);
    expect(m.dipScore).toBeCloseTo(822, 9);
  });

  it('tiers groups by benchmark mortality and counts deaths in the low-risk tier', () => {
    // ln 0.001, ln 0.01, ln 0.1 = −6.908, −4.605, −2.303; mean −4.605, sd 1.880: z −1.22 (low), 0 (mid-high), +1.22 (high).
    expect(Object.fromEntries(riskTiers(REF.benchmarks.get(2026)!, RULES.riskTiers))).toEqual({ A: 'low', B: 'mid_high', C: 'high' });
    expect(m.lowRiskCases).toBe(4); // cases 1, 2, 3, 9
    expect(m.lowRiskDeaths).toBe(1);
    expect(m.lowRiskMortality).toBe(0.25);
  });

  it('adds up the cost structure over all discharged cases', () => {
    expect(m.costStructure).toEqual({ drug: 3000, material: 1000, exam: 1000, lab: 500, treatment: 1500, surgery: 0, other: 1000 + 120700 });
  });

  it('handles an empty set, and uses the newest earlier year when a year has no table yet', () => {
    const empty = summarise([]);
    expect([empty.discharges, empty.cmi, empty.groupingRate, empty.costIndex, empty.margin, empty.lowRiskMortality]).toEqual([0, null, null, null, null, null]);
    const [next] = enrichCases([kase('x', 'B', 'employee', 15000, 8, { dischargeDate: '2027-01-05' })], REF, RULES);
    expect([next!.weight, next!.payment, next!.ratio]).toEqual([1.5, 15000, 1]);
    const [unknown] = enrichCases([kase('y', 'ZZ', 'employee', 100, 1)], REF, RULES);
    expect([unknown!.weight, unknown!.payment, unknown!.outlier]).toEqual([null, null, null]);
  });
});

describe('outlier rule sets at their band edges', () => {
  const banded = RULES.outlierRuleSets.banded!;
  const flat = RULES.outlierRuleSets.flat!;
  it('banded: ≥3× up to weight 1, ≥2× up to 2, ≥1.5× above; ≤0.4× low', () => {
    expect(classifyOutlier(2.999, 1, banded)).toBeNull();
    expect(classifyOutlier(3, 1, banded)).toBe('high');
    expect(classifyOutlier(1.999, 1.0001, banded)).toBeNull();
    expect(classifyOutlier(2, 1.0001, banded)).toBe('high');
    expect(classifyOutlier(1.5, 2, banded)).toBeNull(); // weight 2 is in the 1–2 band
    expect(classifyOutlier(1.5, 2.0001, banded)).toBe('high');
    expect(classifyOutlier(1.499, 2.0001, banded)).toBeNull();
    expect(classifyOutlier(0.4, 1, banded)).toBe('low');
    expect(classifyOutlier(0.401, 1, banded)).toBeNull();
  });
  it('flat: >2× high, <0.5× low', () => {
    expect(classifyOutlier(2, 0.5, flat)).toBeNull();
    expect(classifyOutlier(2.0001, 0.5, flat)).toBe('high');
    expect(classifyOutlier(0.5, 3, flat)).toBeNull();
    expect(classifyOutlier(0.4999, 3, flat)).toBe('low');
  });
  it('DIP bands: scaled by r below 0.5, flat between, by r − 1 above 2', () => {
    expect(dipCaseScore(100, 0.49, RULES.dip)).toBeCloseTo(49, 12);
    expect(dipCaseScore(100, 0.5, RULES.dip)).toBe(100);
    expect(dipCaseScore(100, 2, RULES.dip)).toBe(100);
    expect(dipCaseScore(100, 2.5, RULES.dip)).toBeCloseTo(150, 12);
  });
});

describe('region rules are validated data', () => {
  it('names the problem and its path', () => {
    expect(() => parseDrgRules({ ...RULES, outlierRuleSet: 'steep' }, 'rules.json')).toThrow(/outlierRuleSet: outlierRuleSet must name one of outlierRuleSets/);
    const bad = structuredClone(RULES) as { outlierRuleSets: Record<string, { high: { maxWeight: number | null }[] }> };
    bad.outlierRuleSets.banded!.high[2]!.maxWeight = 5;
    expect(() => parseDrgRules(bad, 'rules.json')).toThrow(/outlierRuleSets\.banded\.high: the last high band must have maxWeight null/);
    expect(() => parseDrgRules({ ...RULES, dip: { low: 2, high: 0.5, scorePerWeight: 100 } }, 'x.json')).toThrow(/invalid DRG rules in x.json: dip: dip.low must be below dip.high/);
  });
});

describe('DRG screen', () => {
  it('splits month, year to date and 12 trend months, and ranks losing and earning groups', () => {
    const more = [...CASES, kase('10', 'A', 'employee', 4000, 3, { dischargeDate: '2026-01-20' }), kase('11', 'B', 'employee', 10000, 5, { dischargeDate: '2025-12-30' })];
    // The same tables in force for 2025 (without them the December case would not group: there is no earlier year).
    const ref: DrgReference = { groups: new Map([...REF.groups, [2025, REF.groups.get(2026)!]]), baseRates: new Map([...REF.baseRates, [2025, REF.baseRates.get(2026)!]]),
      benchmarks: new Map([...REF.benchmarks, [2025, REF.benchmarks.get(2026)!]]) };
    const data = buildDrgScreen(enrichCases(more, ref, RULES), '2026-03-31', [{ id: 'C01', zh: '本部', en: 'Main' }, { id: 'C02', zh: '东院', en: 'East' }],
      new Map([['D1', { id: 'D1', zh: '心内科', en: 'Cardiology' }], ['D2', { id: 'D2', zh: '普外科', en: 'Surgery' }]]), { id: 'banded', zh: '', en: '' });
    expect(drgPeriods('2026-03-31')).toMatchObject({ month: { from: '2026-03-01', to: '2026-03-31' }, ytd: { from: '2026-01-01' }, trendFrom: '2025-04-01', readFrom: '2025-04-01' });
    expect(data.month.partial).toBe(false);
    const h = data.scopes[0]!;
    expect(h.month.discharges).toBe(9);
    expect(h.ytd.discharges).toBe(10); // case 11 is in December 2025
    expect(h.trend.map((t) => t.month)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(h.trend.at(-4)!.pnl).toBe(15000 - 10000); // December: case 11 earns 5,000
    expect(h.trend.at(-3)!.pnl).toBe(8000 - 4000); // January: case 10 earns 4,000
    // YTD by group: A 8,000 + 6,400 + 8,000 + 8,000 + 8,000 − (8,000 + 24,000 + 3,200 + 0 + 4,000) = −800; B 15,000 − 30,000 = −15,000; C 20,000 − 37,500 = −17,500; D +5,000.
    expect(h.topLosing.map((g) => [g.drgCode, g.pnl])).toEqual([['C', -17500], ['B', -15000], ['A', -800]]);
    expect(h.topEarning.map((g) => [g.drgCode, g.pnl])).toEqual([['D', 5000]]);
    // Quadrant: D1 (cases 1, 2, 3, 7, 8, 9, 10): weight 0.8·5 + 1.0 = 5 over 6 grouped; D2: (1.5 + 1.5 + 2.5) / 3.
    const q = Object.fromEntries(h.quadrant.map((p) => [p.id, p]));
    expect(q.D1!.cmi).toBeCloseTo(5 / 6, 12);
    expect(q.D2!.cmi).toBeCloseTo(5.5 / 3, 12);
    expect(q.D2!.pnl).toBe(15000 + 20000 - 30000 - 37500);
    expect(data.scopes.map((s) => [s.id, s.ytd.discharges])).toEqual([['hospital', 10], ['C01', 9], ['C02', 1]]);
  });

  it('plots only complete months: on the 2nd of a month the trend ends with the month before', () => {
    expect(drgPeriods('2026-12-02')).toMatchObject({ month: { from: '2026-12-01', to: '2026-12-02' }, trendFrom: '2025-12-01', trendTo: '2026-11-01' });
    expect(drgPeriods('2026-02-28')).toMatchObject({ trendFrom: '2025-03-01', trendTo: '2026-02-01' }); // February's last day: complete
    expect(drgPeriods('2024-02-28')).toMatchObject({ trendTo: '2024-01-01' }); // a leap year's 28 February is not the end
    // A case discharged on 1 March 2026 counts in the month to date, not in the trend, when the screen is as of 2 March.
    const data = buildDrgScreen(enrichCases([...CASES, kase('12', 'A', 'employee', 4000, 3, { dischargeDate: '2026-02-10' })], REF, RULES), '2026-03-02', [], new Map(), { id: 'banded', zh: '', en: '' });
    const h = data.scopes[0]!;
    expect(data.month.partial).toBe(true);
    expect(h.trend.map((t) => t.month).at(0)).toBe('2025-03');
    expect(h.trend.map((t) => t.month).at(-1)).toBe('2026-02');
    expect(h.trend.at(-1)!.totalWeight).toBe(0.8); // the February case of group A alone
  });
});
