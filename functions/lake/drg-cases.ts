/**
 * The lake's inpatient cases and reference data as the DRG domain needs them: discharged cases, the region's groups,
 * base rates and benchmarks in force, and the names of campuses, departments and doctor groups. Read by the nightly
 * DRG screen and alert rules (pipeline) and by the DRG explorer (api).
 */
import { enrichCases, type DrgBenchmark, type DrgCase, type DrgGroupInfo, type DrgReference, type DrgRules, type EnrichedCase } from '../domain/drg.ts';
import type { Named } from '../domain/drg-screen.ts';
import type { QueryEngine, SqlRow } from '../ports.ts';
import { sqlText } from '../sql/index.ts';
import { num, str } from './values.ts';


function nested<T>(rows: SqlRow[], outer: (r: SqlRow) => number, inner: (r: SqlRow) => string, value: (r: SqlRow) => T): Map<number, Map<string, T>> {
  const out = new Map<number, Map<string, T>>();
  for (const r of rows) {
    const k = outer(r);
    let m = out.get(k);
    if (!m) out.set(k, (m = new Map()));
    m.set(inner(r), value(r));
  }
  return out;
}

/** The region's DRG reference data as delivered on or before `asOf`. */
export async function loadDrgReference(engine: QueryEngine, asOf: string): Promise<DrgReference> {
  const params = [asOf, asOf];
  const groups = await engine.query(sqlText('drg_groups'), { params });
  const rates = await engine.query(sqlText('drg_base_rates'), { params });
  const benchmarks = await engine.query(sqlText('drg_benchmarks'), { params });
  return {
    groups: nested<DrgGroupInfo>(groups.rows, (r) => num(r.year), (r) => str(r.drg_code), (r) => ({ name: str(r.name_zh), weight: num(r.weight), adrg: str(r.adrg_code), mdc: str(r.mdc) })),
    baseRates: nested(rates.rows, (r) => num(r.year), (r) => str(r.insurance_type), (r) => num(r.base_rate)),
    benchmarks: nested<DrgBenchmark>(benchmarks.rows, (r) => num(r.year), (r) => str(r.drg_code), (r) => ({ avgCost: num(r.avg_cost), avgLos: num(r.avg_los), mortality: num(r.mortality_rate) })),
  };
}

/** Discharged cases in [from, to]. */
export async function loadDrgCases(engine: QueryEngine, from: string, to: string, maxRows?: number, department?: string): Promise<{ cases: DrgCase[]; truncated: boolean }> {
  // One department's cases (a director's scope, an analyst's filter) are selected in the query, as a bound parameter.
  const { rows, truncated } = department === undefined
    ? await engine.query(sqlText('drg_cases'), { params: [from, to], ...(maxRows ? { maxRows } : {}) })
    : await engine.query(sqlText('drg_cases_department'), { params: [from, to, department], ...(maxRows ? { maxRows } : {}) });
  const cases = rows.map((r): DrgCase => ({
    caseId: str(r.case_id), patientId: str(r.patient_id), admissionDate: str(r.admission_date), dischargeDate: str(r.discharge_date), campusId: str(r.campus_id), departmentId: str(r.department_id),
    doctorGroupId: str(r.doctor_group_id), drgCode: r.drg_code ? str(r.drg_code) : null, losDays: num(r.los_days), outcome: str(r.outcome),
    insuranceType: str(r.insurance_type), feeTotal: num(r.fee_total),
    fees: { drug: num(r.fee_drug), material: num(r.fee_material), exam: num(r.fee_exam), lab: num(r.fee_lab), treatment: num(r.fee_treatment), surgery: num(r.fee_surgery), other: num(r.fee_rest) },
  }));
  return { cases, truncated };
}

export async function loadNames(engine: QueryEngine, asOf: string): Promise<{ campuses: Named[]; departments: Map<string, Named & { campusId: string }>; doctorGroups: Map<string, Named & { departmentId: string }> }> {
  const params = [asOf, asOf];
  const campuses = (await engine.query(sqlText('campuses'), { params })).rows.map((r) => ({ id: str(r.campus_id), zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh) }));
  const departments = new Map((await engine.query(sqlText('departments'), { params })).rows.map((r) => [str(r.department_id), { id: str(r.department_id), zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh), campusId: str(r.campus_id) }]));
  const doctorGroups = new Map((await engine.query(sqlText('doctor_groups'), { params })).rows.map((r) => [str(r.doctor_group_id), { id: str(r.doctor_group_id), zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh), departmentId: str(r.department_id) }]));
  return { campuses, departments, doctorGroups };
}

/** Enriched cases discharged in [from, to] with the reference data in force on `asOf`. */
export async function drgCases(engine: QueryEngine, rules: DrgRules, from: string, to: string, asOf: string, maxRows?: number, department?: string): Promise<{ cases: EnrichedCase[]; truncated: boolean }> {
  const ref = await loadDrgReference(engine, asOf);
  const { cases, truncated } = await loadDrgCases(engine, from, to, maxRows, department);
  return { cases: enrichCases(cases, ref, rules), truncated };
}

