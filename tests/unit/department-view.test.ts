/** A department's facts as the KPI model's measures: the tablet's tiles are the catalogue's KPIs over them. */
import { describe, expect, it } from 'vitest';
import { departmentFigures } from '../../functions/domain/department-view.ts';
import { emptyFacts } from '../../functions/domain/finance-model.ts';
import { kpi } from '../../functions/domain/kpis/catalog.ts';
import { kpiValue } from '../../functions/domain/kpis/model.ts';

describe('department view', () => {
  it('maps a department-month onto the measures, outpatient visits without emergency ones', () => {
    // 120 visits of which 20 emergency; 18 of 24 open bed-days occupied; 20 bed-days over 4 discharges; drugs 30 + 70.
    const f = { ...emptyFacts(), visits: 120, emergencyVisits: 20, openBedDays: 24, occupiedBedDays: 18, losDays: 20, discharges: 4, outpatientDrug: 30, inpatientDrug: 70, outpatientRevenue: 200, inpatientRevenue: 300 };
    const m = departmentFigures(f);
    expect(m).toMatchObject({ outpatientVisits: 100, emergencyVisits: 20, openBeds: 24, occupiedBeds: 18, drugRevenue: 100 });
    expect(kpiValue(kpi('bed_occupancy'), m)).toBe(75);
    expect(kpiValue(kpi('avg_los'), m)).toBe(5);
    expect(kpiValue(kpi('drug_share'), m)).toBe(20);
    expect(kpiValue(kpi('outpatient_visits'), m)).toBe(100);
  });
});
