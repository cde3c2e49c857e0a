/**
 * Each campus KPI on the tiny hand-made lake (tests/fixtures/tiny-hospital), through ingest → portable SQL on DuckDB →
 * the domain formulas. Expected values are worked out by hand from the fixture rows in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateCampusScreen } from '../../functions/pipeline/aggregate.ts';
import type { CampusSnapshotData } from '../../functions/domain/screens.ts';
import { parseCsv } from '../../functions/lake/csv.ts';
import { tinyHospital } from '../support/tiny-hospital.ts';

let ctx: Awaited<ReturnType<typeof tinyHospital>>;
let hospital: CampusSnapshotData['scopes'][number];
let east: CampusSnapshotData['scopes'][number];

beforeAll(async () => {
  ctx = await tinyHospital();
  await aggregateCampusScreen(ctx.rt.aggregateDeps, '2026-03-31');
  hospital = ((await ctx.rt.snapshots.get('campus', 'hospital', '2026-03-31'))!.data as CampusSnapshotData).scopes[0]!;
  east = ((await ctx.rt.snapshots.get('campus', 'C02', '2026-03-31'))!.data as CampusSnapshotData).scopes[0]!;
});
afterAll(() => ctx.dispose());

const tile = (scope: typeof hospital, id: string) => scope.tiles.find((t) => t.kpi === id)!;

describe('campus screen, whole hospital, March 2026 to date (as of 31 March)', () => {
  it('counts outpatient and emergency visits, leaving out the rejected rows and the duplicate', () => {
    // Outpatient: V1 and V3 on 31 Mar, V4 on 30 Mar (sent twice, counted once); V9 and V10 were rejected. Emergency: V2.
    expect(tile(hospital, 'outpatient_visits').value).toBe(3);
    expect(tile(hospital, 'emergency_visits').value).toBe(1);
    // The as-of day alone: V1 and V3.
    expect(tile(hospital, 'outpatient_visits').day).toBe(2);
  });

  it('computes revenue and its structure from visit and discharge fees', () => {
    // Outpatient 200 + 100 + 100 + 100 = 500; inpatient Z1 4000 + Z2 5000 = 9000.
    expect(tile(hospital, 'medical_revenue').value).toBeCloseTo(9500, 6);
    // Drugs 100 + 30 + 60 + 50 + 1000 + 2000 = 3240 → 3240 / 9500.
    expect(tile(hospital, 'drug_share').value).toBeCloseTo((3240 / 9500) * 100, 9);
    // Materials 10 + 500 = 510 over (9500 − 3240) = 6260.
    expect(tile(hospital, 'materials_per_100').value).toBeCloseTo((510 / 6260) * 100, 9);
    // Service = 9500 − drugs 3240 − materials 510 − exams (50 + 300 + 500) − lab (20 + 40 + 200 + 500) = 4140.
    expect(tile(hospital, 'medical_service_share').value).toBeCloseTo((4140 / 9500) * 100, 9);
    expect(hospital.revenueStructure).toEqual({ drug: 3240, material: 510, exam: 850, lab: 760, service: 4140 });
  });

  it('computes fees per visit and per discharge, and the average stay', () => {
    expect(tile(hospital, 'outpatient_fee_per_visit').value).toBeCloseTo(500 / 4, 9);
    expect(tile(hospital, 'inpatient_fee_per_discharge').value).toBeCloseTo(9000 / 2, 9);
    expect(tile(hospital, 'discharges').value).toBe(2);
    expect(tile(hospital, 'avg_los').value).toBeCloseTo((6 + 10) / 2, 9);
  });

  it('computes beds: occupancy from bed-days, inpatients at the last midnight, admissions and operations', () => {
    // Occupied 18 + 9 + 17 + 8 = 52 of open 20 + 10 + 20 + 10 = 60 bed-days.
    expect(tile(hospital, 'bed_occupancy').value).toBeCloseTo((52 / 60) * 100, 9);
    expect(tile(hospital, 'inpatients').value).toBe(18 + 9);
    expect(tile(hospital, 'admissions').value).toBe(3 + 1 + 2 + 0);
    expect(tile(hospital, 'surgeries').value).toBe(3);
  });

  it('compares with March 2025 (YoY) and with February 2026 clamped to its 28 days (MoM)', () => {
    const visits = tile(hospital, 'outpatient_visits');
    expect(visits.yoy.period).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(visits.yoy.value).toBe(1); // V6
    expect(visits.yoy.change).toBeCloseTo(2, 9); // 3 vs 1 → +200%
    expect(visits.mom.period).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(visits.mom.value).toBe(1); // V5, delivered as "2026/2/27" in a quoted CRLF file
    const revenue = tile(hospital, 'medical_revenue');
    expect(revenue.yoy.change).toBeCloseTo((9500 - 4150) / 4150, 9); // March 2025: V6 150 + Z3 4000
    // Drug share is compared in percentage points: 34.105…% now against (90 + 1500) / 4150 = 38.313…% a year earlier.
    const drug = tile(hospital, 'drug_share');
    expect(drug.yoy.changeKind).toBe('points');
    expect(drug.yoy.change).toBeCloseTo((3240 / 9500) * 100 - (1590 / 4150) * 100, 9);
    // February had no discharges: no fee per discharge to compare with.
    expect(tile(hospital, 'inpatient_fee_per_discharge').mom.value).toBeNull();
    expect(tile(hospital, 'inpatient_fee_per_discharge').mom.change).toBeNull();
  });

  it('marks the month as complete on its last day', () => {
    expect(tile(hospital, 'outpatient_visits').partial).toBe(false);
  });
});

describe('campus screen, East Campus (C02)', () => {
  it('counts only that campus', () => {
    expect(east.zh).toBe('东院区'); // decoded from a GB18030 reference file
    expect(tile(east, 'outpatient_visits').value).toBe(1); // V3
    expect(tile(east, 'emergency_visits').value).toBe(0);
    expect(tile(east, 'medical_revenue').value).toBeCloseTo(100 + 5000, 6);
    expect(tile(east, 'bed_occupancy').value).toBeCloseTo(((9 + 8) / (10 + 10)) * 100, 9);
    expect(tile(east, 'surgeries').value).toBe(1);
  });
});

describe('ingest of the tiny hospital', () => {
  it('reports rows in = accepted + rejected + duplicates, with the reasons quarantined', async () => {
    const march31 = ctx.reports.find((r) => r.dt === '2026-03-31')!;
    const visits = march31.tables.find((t) => t.table === 'outpatient_visits')!;
    expect(visits.files[0]).toMatchObject({ rowsRead: 5, accepted: 3, rejected: 2, duplicates: 0, encoding: 'utf-8' });
    const march30 = ctx.reports.find((r) => r.dt === '2026-03-30')!.tables.find((t) => t.table === 'outpatient_visits')!;
    expect(march30.files[0]).toMatchObject({ rowsRead: 2, accepted: 1, rejected: 0, duplicates: 1 });
    const text = new TextDecoder().decode(await ctx.rt.store.get('quarantine/outpatient_visits/dt=2026-03-31/rejects.csv'));
    const [header, ...rows] = [...parseCsv(text)].map((r) => r.fields);
    expect(header).toEqual(['source_file', 'line', 'field', 'code', 'reason_zh', 'reason_en', 'raw_record']);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['landing/outpatient_visits/dt=2026-03-31/outpatient_visits-20260331.csv', '5', 'fee_total', 'fee_sum'],
      ['landing/outpatient_visits/dt=2026-03-31/outpatient_visits-20260331.csv', '6', 'visit_type', 'not_allowed'],
    ]);
    expect(rows[0]![4]).toContain('与分项费用之和 15.00 不符');
    expect(rows[1]![5]).toContain('value "walk-in" is not one of outpatient, emergency');
    expect(rows[1]![6]).toBe('V10,2026-03-31,walk-in,C01,D101,E1,P10,employee,10,0,0,0,0,0,5,0,15,5');
    const campuses = ctx.reports.find((r) => r.dt === '2025-03-01')!.tables[0]!;
    expect(campuses.files[0]!.encoding).toBe('gb18030');
    const bom = ctx.reports.find((r) => r.dt === '2026-03-31')!.tables.find((t) => t.table === 'inpatient_cases')!;
    expect(bom.files[0]!.encoding).toBe('utf-8-bom');
  });
});
