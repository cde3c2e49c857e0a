/** The KPI catalogue's records: each formula readable from its own facts, each dimension offered by one, each rule cited. */
import { describe, expect, it } from 'vitest';
import { KPIS, kpi, kpisOn } from '../../../functions/domain/kpis/catalog.ts';
import { FACT_COLUMNS, FACT_MEASURES } from '../../../functions/domain/kpis/facts.ts';
import type { Measure } from '../../../functions/domain/kpis/measures.ts';

describe('the catalogue', () => {
  it('reads every measure of a formula from one of the KPI\'s own facts', () => {
    for (const k of KPIS) {
      const terms = [...k.formula.numerator, ...(k.formula.denominator ?? [])].map((t) => t.replace(/^-/, '') as Measure);
      for (const m of terms) expect(k.facts.some((fact) => FACT_MEASURES[fact][m] !== undefined), `${k.id}: ${m}`).toBe(true);
    }
  });

  it('offers only dimensions and implicit filters some fact of the KPI has', () => {
    for (const k of KPIS) {
      for (const d of k.dimensions) expect(k.facts.some((fact) => d in FACT_COLUMNS[fact]) || d === 'fee_category', `${k.id} by ${d}`).toBe(true);
      for (const flt of Object.keys(k.implicit ?? {})) expect(k.facts.some((fact) => !!FACT_COLUMNS[fact][flt as keyof (typeof FACT_COLUMNS)['outpatient']]), `${k.id} filter ${flt}`).toBe(true);
    }
  });

  it('cites a source and a rule date for every KPI, with unique ids', () => {
    expect(new Set(KPIS.map((k) => k.id)).size).toBe(KPIS.length);
    for (const k of KPIS) {
      expect(k.source, k.id).toMatch(/\S+ \/ \S+/);
      expect(k.ruleDate, k.id).toMatch(/^\d{4}/);
      expect(k.definitionZh.length * k.definitionEn.length, k.id).toBeGreaterThan(0);
    }
    expect(() => kpi('no_such_kpi')).toThrow(/unknown KPI "no_such_kpi"/);
  });

  it('lists the campus wall\'s and the department tablet\'s KPIs from the records', () => {
    expect(kpisOn('campus').map((k) => k.id)).toEqual([
      'outpatient_visits', 'emergency_visits', 'admissions', 'discharges', 'inpatients', 'bed_occupancy', 'surgeries',
      'medical_revenue', 'drug_share', 'materials_per_100', 'medical_service_share', 'avg_los', 'outpatient_fee_per_visit', 'inpatient_fee_per_discharge',
    ]);
    expect(kpisOn('department').map((k) => k.id)).toEqual(['outpatient_visits', 'emergency_visits', 'admissions', 'discharges', 'bed_occupancy', 'surgeries', 'medical_revenue', 'avg_los']);
  });
});

