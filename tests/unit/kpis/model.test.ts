/**
 * The KPI model: every formula evaluated on hand-made sums (expected values worked out in the comments), the
 * catalogue's records checked against the facts that must supply their measures, and the definition the API serves.
 */
import { describe, expect, it } from 'vitest';
import { KPIS, kpi } from '../../../functions/domain/kpis/catalog.ts';
import { emptyFigures, type Figures } from '../../../functions/domain/kpis/measures.ts';
import { formulaText, kpiDefinition, kpiParts, kpiValue, partsValue, type Term } from '../../../functions/domain/kpis/model.ts';

const f = (x: Partial<Figures>): Figures => ({ ...emptyFigures(), ...x });
// One month of a small hospital: 900 outpatient + 100 emergency visits bringing ¥200,000; 50 discharges with 400
// bed-days bringing ¥500,000; drugs ¥210,000, materials ¥70,000, exams ¥35,000, lab ¥35,000; 30 days of 20 open beds
// (600 open bed-days), 540 occupied; 52 admissions, 12 operations, direct cost ¥333,000.
const month = f({
  outpatientVisits: 900, emergencyVisits: 100, outpatientRevenue: 200_000, discharges: 50, losDays: 400, inpatientRevenue: 500_000,
  drugRevenue: 210_000, materialRevenue: 70_000, examRevenue: 35_000, labRevenue: 35_000, openBeds: 600, occupiedBeds: 540, admissions: 52,
  surgeries: 12, directCost: 333_000,
});
// The month's last day: 17 of 20 beds occupied at midnight.
const lastDay = f({ openBeds: 20, occupiedBeds: 17 });

describe('the formulas', () => {
  it('computes each KPI of the catalogue from the sums as its definition says', () => {
    const expected: Record<string, number> = {
      outpatient_visits: 900, emergency_visits: 100, admissions: 52, discharges: 50, surgeries: 12, direct_cost: 333_000,
      inpatients: 17, // the stock: the last day's occupied beds, not the month's 540 bed-days
      bed_occupancy: 90, // 540 ÷ 600 × 100
      medical_revenue: 700_000, // 200,000 + 500,000
      drug_share: 30, // 210,000 ÷ 700,000 × 100
      materials_per_100: (70_000 / 490_000) * 100, // 70,000 ÷ (700,000 − 210,000) × 100 ≈ 14.29
      medical_service_share: 50, // (700,000 − 210,000 − 70,000 − 35,000 − 35,000) ÷ 700,000 × 100 = 350,000 ÷ 700,000
      avg_los: 8, // 400 ÷ 50
      outpatient_fee_per_visit: 200, // 200,000 ÷ (900 + 100)
      inpatient_fee_per_discharge: 10_000, // 500,000 ÷ 50
      bed_turnover: 2.5, // 50 discharges ÷ (600 open bed-days ÷ 30 days = 20 average open beds)
    };
    for (const k of KPIS) {
      if (!(k.id in expected)) continue;
      expect(kpiValue(k, month, lastDay, 30), k.id).toBeCloseTo(expected[k.id]!, 10);
    }
    expect(KPIS.filter((k) => !(k.id in expected) && !k.formula.denominatorPerDay).map((k) => k.id)).toEqual([]);
  });

  it('has no value where the denominator is zero, never 0 or infinity', () => {
    const none = f({ drugRevenue: 0 });
    for (const id of ['bed_occupancy', 'drug_share', 'avg_los', 'outpatient_fee_per_visit', 'inpatient_fee_per_discharge']) expect(kpiValue(kpi(id), none), id).toBeNull();
    expect(partsValue({ numerator: 5, denominator: 0, scale: 100 })).toBeNull();
    // A flow of nothing is a real 0 (no visits happened), not a missing value.
    expect(kpiValue(kpi('outpatient_visits'), none)).toBe(0);
  });

  it('divides a per-day denominator by the period\'s days', () => {
    // Average open beds over a 30-day month of 600 open bed-days: 20 beds. A KPI "discharges per average open bed".
    const turnover = { ...kpi('discharges'), id: 'per_bed', kind: 'ratio' as const, formula: { numerator: ['discharges'] as Term[], denominator: ['openBeds'] as Term[], denominatorPerDay: true } };
    expect(kpiParts(turnover, month, month, 30)).toEqual({ numerator: 50, denominator: 20, scale: 1 });
    expect(kpiValue(turnover, month, month, 30)).toBe(2.5);
    // No days, no average: no value.
    expect(kpiValue(turnover, month, month, 0)).toBeNull();
  });
});

describe('what the API serves', () => {
  it('writes the formula in the measures\' names', () => {
    expect(formulaText(kpi('materials_per_100'))).toEqual({
      zh: '卫生材料收入 ÷ （门急诊收入 + 住院收入 − 药品收入） × 100',
      en: 'health-material revenue ÷ (outpatient and emergency revenue + inpatient revenue − drug revenue) × 100',
    });
    expect(formulaText(kpi('inpatients')).zh).toBe('实际占用总床日数（期末日）');
  });

  it('gives the unit\'s names and decimals with the definition', () => {
    const d = kpiDefinition(kpi('outpatient_fee_per_visit'));
    expect(d).toMatchObject({ unitZh: '元', digits: 2, tileDigits: 0, money: true, unitNames: { yuan: { zh: '元/人次', en: 'CNY per visit' }, wan: { zh: '万元/人次', en: '10k CNY per visit' } } });
    expect(d).not.toHaveProperty('facts');
  });
});
