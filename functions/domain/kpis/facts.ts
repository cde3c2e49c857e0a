/**
 * The lake's facts a KPI is read from, the dimensions each fact can be broken down and filtered by (as allow-listed SQL
 * expressions, never text from a request), and which measures each fact supplies from which column of its
 * `explore_<fact>.sql`. Only the strings here are ever spliced into SQL.
 */
import type { Measure, Named } from './measures.ts';

export const EXPLORE_FACTS = ['outpatient', 'inpatient', 'census', 'surgery', 'cost'] as const;
export type ExploreFact = (typeof EXPLORE_FACTS)[number];

export const EXPLORE_DIMENSIONS = [
  'campus', 'department', 'ward', 'doctor_group', 'doctor', 'drg', 'source', 'insurance', 'visit_type', 'outcome',
  'surgery_level', 'day_surgery', 'fee_category', 'cost_element', 'day', 'month',
] as const;
export type ExploreDimension = (typeof EXPLORE_DIMENSIONS)[number];
/** `total`: no breakdown (the figure for the whole filtered scope). */
export type Grouping = ExploreDimension | 'total';

/** Filterable dimensions: all but time and the fee-category split (a breakdown of the same rows, not a row attribute). */
export const EXPLORE_FILTERS = EXPLORE_DIMENSIONS.filter((d): d is Exclude<ExploreDimension, 'day' | 'month' | 'fee_category'> => d !== 'day' && d !== 'month' && d !== 'fee_category');
export type ExploreFilter = (typeof EXPLORE_FILTERS)[number];

export const DIMENSION_NAMES: Record<ExploreDimension, Named> = {
  campus: { zh: '院区', en: 'Campus' }, department: { zh: '科室', en: 'Department' }, ward: { zh: '病区', en: 'Ward' },
  doctor_group: { zh: '诊疗组', en: 'Doctor group' }, doctor: { zh: '医生', en: 'Doctor' }, drg: { zh: 'DRG 组', en: 'DRG group' },
  source: { zh: '门诊/住院', en: 'Outpatient/inpatient' }, insurance: { zh: '参保类型', en: 'Insurance type' }, visit_type: { zh: '门诊/急诊', en: 'Visit type' },
  outcome: { zh: '离院方式', en: 'Outcome' }, surgery_level: { zh: '手术级别', en: 'Operation grade' }, day_surgery: { zh: '日间手术', en: 'Day surgery' },
  fee_category: { zh: '收入类别', en: 'Revenue category' }, cost_element: { zh: '成本要素', en: 'Cost element' }, day: { zh: '日', en: 'Day' }, month: { zh: '月', en: 'Month' },
};

/**
 * Each fact's SQL expression per dimension. A quoted literal is a constant of the fact (all outpatient rows are
 * `source = outpatient`); `null` means the fact has no such attribute: its rows fall in one bucket of their own when
 * grouping, and a filter on it excludes the fact.
 */
export const FACT_COLUMNS: Record<ExploreFact, Partial<Record<ExploreDimension, string | null>>> = {
  outpatient: {
    campus: 'campus_id', department: 'department_id', ward: null, doctor_group: null, doctor: 'doctor_id', source: "'outpatient'",
    insurance: 'insurance_type', visit_type: 'visit_type', fee_category: null, day: 'dt', month: 'substr(dt, 1, 7)',
  },
  inpatient: {
    campus: 'campus_id', department: 'department_id', ward: 'ward_id', doctor_group: 'doctor_group_id', doctor: null, drg: 'drg_code', source: "'inpatient'",
    insurance: 'insurance_type', visit_type: null, outcome: 'outcome', fee_category: null, day: 'dt', month: 'substr(dt, 1, 7)',
  },
  census: { campus: 'campus_id', department: 'department_id', ward: 'ward_id', day: 'dt', month: 'substr(dt, 1, 7)' },
  surgery: {
    campus: 'campus_id', department: 'department_id', surgery_level: 'CAST(surgery_level AS VARCHAR)', day_surgery: 'CAST(is_day_surgery AS VARCHAR)',
    day: 'dt', month: 'substr(dt, 1, 7)',
  },
  cost: { department: 'department_id', cost_element: 'cost_element', month: 'substr(dt, 1, 7)' },
};

/** The measures each fact supplies, by the column of its `explore_<fact>.sql` that holds the sum. */
export const FACT_MEASURES: Record<ExploreFact, Partial<Record<Measure, string>>> = {
  outpatient: {
    outpatientVisits: 'outpatient_visits', emergencyVisits: 'emergency_visits', outpatientRevenue: 'fee_total',
    drugRevenue: 'fee_drug', materialRevenue: 'fee_material', examRevenue: 'fee_exam', labRevenue: 'fee_lab',
  },
  inpatient: {
    discharges: 'discharges', losDays: 'los_days', inpatientRevenue: 'fee_total',
    drugRevenue: 'fee_drug', materialRevenue: 'fee_material', examRevenue: 'fee_exam', labRevenue: 'fee_lab',
  },
  census: { openBeds: 'open_beds', occupiedBeds: 'occupied_beds', admissions: 'admissions' },
  surgery: { surgeries: 'surgeries' },
  cost: { directCost: 'direct_cost' },
};

/** Monthly facts have no day grain: their partitions are the months' first days. */
export const MONTHLY_FACTS: ReadonlySet<ExploreFact> = new Set(['cost']);
