/**
 * A hand-made hospital for the explorer's tests: two campuses, two departments, a handful of visits, cases, census
 * days, operations, costs and budgets around a leap day (2024-02-29), the newest night 2024-03-10 (so March 2024 is a
 * partial month). Every figure the tests expect is worked out by hand from the rows below (see explore.test.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableSpec } from '../../functions/domain/contract.ts';
import { ingestNights } from '../../functions/pipeline/ingest.ts';
import { landingNights } from '../../functions/pipeline/landing.ts';
import { openLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.ts';
import type { Clock, QueryEngine } from '../../functions/ports.ts';
import { createApp } from '../../functions/api/app.ts';
import { apiCaches, type ApiCaches } from '../../functions/api/cache.ts';
import { tokenFor } from './access.ts';

export const EXPLORE_AS_OF = '2024-03-10';
const CLOCK: Clock = { now: () => new Date('2024-03-11T01:30:00Z'), today: () => '2024-03-11' };

export type Row = Record<string, string | number>;

const OUT_FEES = ['drug', 'material', 'exam', 'lab', 'treatment', 'surgery', 'consultation', 'other'];
const IN_FEES = ['drug', 'material', 'exam', 'lab', 'treatment', 'surgery', 'consultation', 'bed', 'other'];
const fees = (cats: string[], given: Record<string, number>): Row => {
  const out: Row = {};
  let total = 0;
  for (const c of cats) {
    out[`fee_${c}`] = given[c] ?? 0;
    total += given[c] ?? 0;
  }
  out.fee_total = total;
  out.insurance_paid = Math.round(total * 0.6);
  return out;
};
const visit = (id: string, date: string, type: string, campus: string, dept: string, doctor: string, insurance: string, f: Record<string, number>): Row => ({
  visit_id: id, visit_date: date, visit_type: type, campus_id: campus, department_id: dept, doctor_id: doctor, patient_id: `P${id}`, insurance_type: insurance, ...fees(OUT_FEES, f),
});
const discharge = (id: string, admitted: string, date: string, los: number, campus: string, dept: string, ward: string, group: string, outcome: string, insurance: string, f: Record<string, number>): Row => {
  return { case_id: id, patient_id: `P${id}`, admission_date: admitted, discharge_date: date, campus_id: campus, department_id: dept, ward_id: ward, doctor_group_id: group, drg_code: '', los_days: los, outcome, insurance_type: insurance, ...fees(IN_FEES, f) };
};
const census = (date: string, ward: string, campus: string, dept: string, occupied: number, admissions: number): Row => ({
  census_date: date, ward_id: ward, campus_id: campus, department_id: dept, open_beds: 10, occupied_beds: occupied, admissions, discharges: 0,
});

const line = (id: string, date: string, source: string, sourceId: string, patient: string, item: string, category: string, quantity: number, price: number, dept: string): Row => ({
  line_id: id, source_type: source, source_id: sourceId, patient_id: patient, item_code: item, item_category: category, quantity, unit_price: price, amount: quantity * price,
  ordering_department_id: dept, executing_department_id: dept, charge_date: date,
});

/** Rows per table and partition (dt). */
export const EXPLORE_ROWS: Record<string, Record<string, Row[]>> = {
  campuses: { '2023-01-01': [{ campus_id: 'C1', name_zh: '本部院区', name_en: 'Main Campus' }, { campus_id: 'C2', name_zh: '东院区', name_en: 'East Campus' }] },
  departments: {
    '2023-01-01': [
      { department_id: 'D1', name_zh: '心内科', name_en: 'Cardiology', department_class: 'clinical', system: 'medical', campus_id: 'C1', parent_id: '' },
      { department_id: 'D2', name_zh: '骨科', name_en: 'Orthopaedics', department_class: 'clinical', system: 'surgical', campus_id: 'C2', parent_id: '' },
    ],
  },
  wards: {
    '2023-01-01': [
      { ward_id: 'W1', name_zh: '心内一病区', name_en: 'Cardiology Ward 1', department_id: 'D1', campus_id: 'C1', open_beds: 10 },
      { ward_id: 'W2', name_zh: '骨科病区', name_en: 'Orthopaedics Ward', department_id: 'D2', campus_id: 'C2', open_beds: 10 },
    ],
  },
  doctor_groups: {
    '2023-01-01': [
      { doctor_group_id: 'G1', name_zh: '心内一组', name_en: 'Cardiology team 1', department_id: 'D1', lead_doctor_id: 'DR1' },
      { doctor_group_id: 'G2', name_zh: '骨科一组', name_en: 'Orthopaedics team 1', department_id: 'D2', lead_doctor_id: 'DR2' },
    ],
  },
  doctors: {
    '2023-01-01': [
      { doctor_id: 'DR1', name_zh: '王医生', department_id: 'D1', doctor_group_id: 'G1', title: 'chief' },
      { doctor_id: 'DR2', name_zh: '李医生', department_id: 'D2', doctor_group_id: 'G2', title: 'attending' },
    ],
  },
  charge_items: {
    '2023-01-01': [
      { item_code: 'I1', name_zh: '床位费', name_en: 'Bed fee', item_category: 'bed', unit: '日', unit_price: 50, daily_limit: 1 },
      { item_code: 'I2', name_zh: 'CT 检查', name_en: 'CT scan', item_category: 'exam', unit: '次', unit_price: 300, daily_limit: 1 },
      { item_code: 'I3', name_zh: '阿司匹林', name_en: 'Aspirin', item_category: 'drug', unit: '盒', unit_price: 20, daily_limit: '' },
    ],
  },
  // Two nights of charge lines: on 10 March patient PZ03 is charged the bed fee twice (over its daily limit of 1) and
  // has one box of aspirin refunded.
  charge_lines: {
    '2024-03-09': [
      line('CL1', '2024-03-09', 'inpatient', 'Z03', 'PZ03', 'I1', 'bed', 1, 50, 'D1'),
      line('CL2', '2024-03-09', 'inpatient', 'Z03', 'PZ03', 'I3', 'drug', 2, 20, 'D1'),
      line('CL3', '2024-03-09', 'outpatient', 'VX1', 'PX1', 'I2', 'exam', 1, 300, 'D2'),
    ],
    '2024-03-10': [
      line('CL4', '2024-03-10', 'inpatient', 'Z03', 'PZ03', 'I1', 'bed', 1, 50, 'D1'),
      line('CL5', '2024-03-10', 'inpatient', 'Z03', 'PZ03', 'I1', 'bed', 1, 50, 'D1'),
      line('CL6', '2024-03-10', 'inpatient', 'Z03', 'PZ03', 'I3', 'drug', 3, 20, 'D1'),
      line('CL7', '2024-03-10', 'inpatient', 'Z03', 'PZ03', 'I3', 'drug', -1, 20, 'D1'),
      line('CL8', '2024-03-10', 'outpatient', 'V07', 'PV07', 'I2', 'exam', 1, 300, 'D2'),
      line('CL9', '2024-03-10', 'outpatient', 'V08', 'PV08', 'I3', 'drug', 1, 20, 'D1'),
    ],
  },
  outpatient_visits: {
    '2023-02-28': [visit('V01', '2023-02-28', 'outpatient', 'C1', 'D1', 'DR1', 'employee', { drug: 50, consultation: 50 })],
    '2023-03-05': [visit('V02', '2023-03-05', 'outpatient', 'C1', 'D1', 'DR1', 'employee', { drug: 100, exam: 100 })],
    '2024-02-01': [visit('V03', '2024-02-01', 'outpatient', 'C1', 'D1', 'DR1', 'employee', { drug: 30, lab: 70 })],
    '2024-02-29': [
      visit('V04', '2024-02-29', 'emergency', 'C2', 'D2', 'DR2', 'resident', { drug: 200, treatment: 100 }),
      visit('V05', '2024-02-29', 'outpatient', 'C1', 'D1', 'DR1', 'self_pay', { consultation: 40, other: 60 }),
    ],
    '2024-03-01': [visit('V06', '2024-03-01', 'outpatient', 'C1', 'D1', 'DR1', 'employee', { drug: 60, material: 40, exam: 100 })],
    '2024-03-10': [
      visit('V07', '2024-03-10', 'outpatient', 'C2', 'D2', 'DR2', 'resident', { drug: 100, consultation: 100 }),
      visit('V08', '2024-03-10', 'emergency', 'C1', 'D1', 'DR1', 'employee', { lab: 150, treatment: 150 }),
    ],
  },
  inpatient_cases: {
    '2023-03-08': [discharge('Z01', '2023-03-03', '2023-03-08', 5, 'C1', 'D1', 'W1', 'G1', 'cured', 'employee', { drug: 1000, bed: 500, other: 500 })],
    '2024-02-29': [discharge('Z02', '2024-02-19', '2024-02-29', 10, 'C2', 'D2', 'W2', 'G2', 'improved', 'resident', { drug: 2000, material: 1000, surgery: 2000 })],
    '2024-03-05': [discharge('Z03', '2024-02-28', '2024-03-05', 6, 'C1', 'D1', 'W1', 'G1', 'cured', 'employee', { drug: 1500, exam: 500, bed: 1000 })],
  },
  bed_census: {
    '2023-03-10': [census('2023-03-10', 'W1', 'C1', 'D1', 6, 1), census('2023-03-10', 'W2', 'C2', 'D2', 4, 0)],
    '2024-02-29': [census('2024-02-29', 'W1', 'C1', 'D1', 7, 1), census('2024-02-29', 'W2', 'C2', 'D2', 10, 2)],
    '2024-03-09': [census('2024-03-09', 'W1', 'C1', 'D1', 8, 1), census('2024-03-09', 'W2', 'C2', 'D2', 6, 0)],
    '2024-03-10': [census('2024-03-10', 'W1', 'C1', 'D1', 9, 2), census('2024-03-10', 'W2', 'C2', 'D2', 5, 1)],
  },
  surgeries: {
    '2023-03-06': [{ surgery_id: 'S4', surgery_date: '2023-03-06', campus_id: 'C2', department_id: 'D2', case_id: '', patient_id: 'PS4', surgery_level: 3, is_day_surgery: 'false' }],
    '2024-03-05': [
      { surgery_id: 'S1', surgery_date: '2024-03-05', campus_id: 'C2', department_id: 'D2', case_id: '', patient_id: 'PS1', surgery_level: 3, is_day_surgery: 'false' },
      { surgery_id: 'S2', surgery_date: '2024-03-05', campus_id: 'C2', department_id: 'D2', case_id: '', patient_id: 'PS2', surgery_level: 4, is_day_surgery: 'false' },
    ],
    '2024-03-10': [{ surgery_id: 'S3', surgery_date: '2024-03-10', campus_id: 'C1', department_id: 'D1', case_id: '', patient_id: 'PS3', surgery_level: 2, is_day_surgery: 'true' }],
  },
  department_costs: {
    '2023-03-01': [{ month: '2023-03', department_id: 'D1', cost_element: 'personnel', amount: 9000 }, { month: '2023-03', department_id: 'D2', cost_element: 'personnel', amount: 19000 }],
    '2024-02-01': [
      { month: '2024-02', department_id: 'D1', cost_element: 'personnel', amount: 10000 }, { month: '2024-02', department_id: 'D1', cost_element: 'health_materials', amount: 2000 },
      { month: '2024-02', department_id: 'D1', cost_element: 'depreciation', amount: 1000 }, { month: '2024-02', department_id: 'D2', cost_element: 'personnel', amount: 20000 },
    ],
    '2024-03-01': [
      { month: '2024-03', department_id: 'D1', cost_element: 'personnel', amount: 11000 }, { month: '2024-03', department_id: 'D2', cost_element: 'personnel', amount: 21000 },
      { month: '2024-03', department_id: 'D2', cost_element: 'drugs', amount: 3000 },
    ],
  },
  budget_plan: {
    '2024-02-01': [{ month: '2024-02', department_id: 'D1', budget_item: 'medical_revenue', item_type: 'revenue', version: 'original', amount: 29000, adjustment_note: '' }],
    '2024-03-01': [
      { month: '2024-03', department_id: 'D1', budget_item: 'medical_revenue', item_type: 'revenue', version: 'original', amount: 31000, adjustment_note: '' },
      { month: '2024-03', department_id: 'D2', budget_item: 'medical_revenue', item_type: 'revenue', version: 'original', amount: 62000, adjustment_note: '' },
      { month: '2024-03', department_id: 'D1', budget_item: 'personnel', item_type: 'expense', version: 'original', amount: 12000, adjustment_note: '' },
      { month: '2024-03', department_id: 'D1', budget_item: 'personnel', item_type: 'expense', version: 'adjusted', amount: 12400, adjustment_note: '新增人员 new staff' },
      { month: '2024-03', department_id: 'D2', budget_item: 'personnel', item_type: 'expense', version: 'original', amount: 20000, adjustment_note: '' },
    ],
  },
};

const csvField = (v: string | number): string => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));

/** Writes the rows as the hospital would drop them and ingests them through the real pipeline. */
export async function exploreHospital(options: { replace?: Record<string, Record<string, Row[]>>; landing?: Record<string, string>; rejectsAllowed?: boolean } = {}): Promise<{ rt: LocalRuntime; dir: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-explore-'));
  // Extra landing files as delivered (hostile ones included), by key under the data folder.
  for (const [key, text] of Object.entries(options.landing ?? {})) {
    mkdirSync(join(dir, key, '..'), { recursive: true });
    writeFileSync(join(dir, key), text);
  }
  for (const [table, partitions] of Object.entries({ ...EXPLORE_ROWS, ...options.replace })) {
    const columns = tableSpec(table).columns.map((c) => c.name);
    for (const [dt, rows] of Object.entries(partitions)) {
      const folder = join(dir, 'landing', table, `dt=${dt}`);
      mkdirSync(folder, { recursive: true });
      const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => {
        if (!(c in r)) throw new Error(`explore fixture: ${table} row lacks ${c}`);
        return csvField(r[c]!);
      }).join(','))];
      writeFileSync(join(folder, `${table}.csv`), `${lines.join('\n')}\n`);
    }
  }
  const rt = await openLocalRuntime(dir, { persist: false, clock: CLOCK });
  const reports = await ingestNights(rt.ingestDeps, await landingNights(rt.store));
  const rejected = reports.filter((r) => r.totals.rejected > 0).map((r) => r.dt);
  if (rejected.length && !options.rejectsAllowed) throw new Error(`explore fixture rows were rejected on ${rejected.join(', ')}: see ${dir}/quarantine`);
  return { rt, dir, dispose: async () => { await rt.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** The hand-made hospital behind the real API, with an analyst's and D1's director's tokens and a count of engine queries. */
export async function exploreApi(): Promise<{
  h: Awaited<ReturnType<typeof exploreHospital>>; app: ReturnType<typeof createApp>; caches: ApiCaches; analyst: string; director: string; queries: () => number;
}> {
  const h = await exploreHospital();
  let queries = 0;
  const engine: QueryEngine = { query: (sql, o) => (queries++, h.rt.engine.query(sql, o)), close: async () => {} };
  const caches = apiCaches(h.rt.clock);
  const app = createApp({ snapshots: h.rt.snapshots, store: h.rt.store, engine, targets: h.rt.targets, clock: h.rt.clock, version: 't', access: h.rt.access, caches });
  const analyst = await tokenFor(h.rt, { sub: 'u-zhao', name: '赵分析', roles: ['analyst'] });
  const director = await tokenFor(h.rt, { sub: 'u-li', name: '李主任', roles: ['director'], departments: ['D1'] });
  return { h, app, caches, analyst, director, queries: () => queries };
}
