/**
 * The KPI catalogue: every KPI OpsDeck computes, one record each. Adding a KPI is adding a record here (and, when it
 * needs a measure no fact supplies yet, the measure and its fact SQL); screens, the explorer, exports and the API
 * follow from it.
 */
import type { ExploreDimension } from './facts.ts';
import type { Kpi } from './model.ts';

const GK = '国家三级公立医院绩效考核操作手册 / National tertiary public hospital performance assessment manual';
const COSTING = '公立医院成本核算规范（国卫财务发〔2021〕4号） / Public hospital cost accounting standard (2021)';
const STATS = '卫生健康统计调查制度（医院统计指标解释） / National health statistics survey definitions';

const VISIT_DIMS: readonly ExploreDimension[] = ['campus', 'department', 'doctor', 'insurance', 'month', 'day'];
const CASE_DIMS: readonly ExploreDimension[] = ['campus', 'department', 'ward', 'doctor_group', 'drg', 'insurance', 'outcome', 'month', 'day'];
const WARD_DIMS: readonly ExploreDimension[] = ['campus', 'department', 'ward', 'month', 'day'];
const REVENUE_DIMS: readonly ExploreDimension[] = ['campus', 'department', 'ward', 'doctor_group', 'source', 'insurance', 'month', 'day'];
const REVENUE = ['outpatientRevenue', 'inpatientRevenue'] as const;

export const KPIS: readonly Kpi[] = [
  {
    id: 'outpatient_visits', zh: '门诊人次', en: 'Outpatient visits', unit: 'visits', kind: 'flow', direction: 'monitor',
    definitionZh: '统计期内门诊就诊人次（不含急诊）。', definitionEn: 'Outpatient visits in the period, excluding emergency visits.', source: STATS, ruleDate: '2023',
    formula: { numerator: ['outpatientVisits'] }, facts: ['outpatient'], implicit: { visit_type: 'outpatient' }, dimensions: VISIT_DIMS, screens: ['campus', 'department'],
  },
  {
    id: 'emergency_visits', zh: '急诊人次', en: 'Emergency visits', unit: 'visits', kind: 'flow', direction: 'monitor',
    definitionZh: '统计期内急诊就诊人次。', definitionEn: 'Emergency visits in the period.', source: STATS, ruleDate: '2023',
    formula: { numerator: ['emergencyVisits'] }, facts: ['outpatient'], implicit: { visit_type: 'emergency' }, dimensions: VISIT_DIMS, screens: ['campus', 'department'],
  },
  {
    id: 'admissions', zh: '入院人数', en: 'Admissions', unit: 'persons', kind: 'flow', direction: 'monitor',
    definitionZh: '统计期内各病区床位日报入院人数之和。', definitionEn: 'Sum of admissions in the wards’ daily bed census.', source: STATS, ruleDate: '2023',
    formula: { numerator: ['admissions'] }, facts: ['census'], dimensions: WARD_DIMS, screens: ['campus', 'department'],
  },
  {
    id: 'discharges', zh: '出院人数', en: 'Discharges', unit: 'persons', kind: 'flow', direction: 'monitor',
    definitionZh: '统计期内出院结算病例数。', definitionEn: 'Inpatient cases discharged and settled in the period.', source: STATS, ruleDate: '2023',
    formula: { numerator: ['discharges'] }, facts: ['inpatient'], dimensions: CASE_DIMS, screens: ['campus', 'department'],
  },
  {
    id: 'inpatients', zh: '在院人数', en: 'Inpatients in hospital', unit: 'persons', kind: 'stock', direction: 'monitor',
    definitionZh: '统计期末日 24 时各病区实际占用床位数之和。', definitionEn: 'Occupied beds at midnight on the last day of the period, all wards.', source: STATS, ruleDate: '2023',
    formula: { numerator: ['occupiedBeds'] }, facts: ['census'], dimensions: WARD_DIMS, screens: ['campus'],
  },
  {
    id: 'bed_occupancy', zh: '床位使用率', en: 'Bed occupancy', unit: 'percent', kind: 'ratio', direction: 'band', band: { low: 85, high: 93 },
    definitionZh: '实际占用总床日数 ÷ 实际开放总床日数 × 100%（加床可使其超过 100%）。', definitionEn: 'Occupied bed-days ÷ open bed-days × 100% (extra beds can take it above 100%).', source: STATS, ruleDate: '2023',
    formula: { numerator: ['occupiedBeds'], denominator: ['openBeds'], scale: 100 }, facts: ['census'], dimensions: WARD_DIMS, screens: ['campus', 'department'],
  },
  {
    id: 'bed_turnover', zh: '床位周转次数', en: 'Bed turnover', unit: 'turns', kind: 'ratio', direction: 'higher_better',
    definitionZh: '出院人数 ÷ 平均开放床位数；平均开放床位数 = 实际开放总床日数 ÷ 期内日历天数（未结束的期间取已有数据的天数）。不折算为年：一个月的周转次数是一个月的。',
    definitionEn: 'Discharges ÷ average open beds; average open beds = open bed-days ÷ calendar days of the period (of a period not yet over, the days with data). Not annualised: a month\'s turnover is the month\'s.',
    source: STATS, ruleDate: '2023',
    formula: { numerator: ['discharges'], denominator: ['openBeds'], denominatorPerDay: true }, facts: ['inpatient', 'census'], dimensions: ['campus', 'department', 'ward', 'month'], screens: [],
  },
  {
    id: 'surgeries', zh: '手术台次', en: 'Operations', unit: 'operations', kind: 'flow', direction: 'monitor',
    definitionZh: '统计期内手麻系统登记的手术台次（含日间手术）。', definitionEn: 'Operations recorded by the OR system in the period, day surgery included.', source: STATS, ruleDate: '2023',
    formula: { numerator: ['surgeries'] }, facts: ['surgery'], dimensions: ['campus', 'department', 'surgery_level', 'day_surgery', 'month', 'day'], screens: ['campus', 'department'],
  },
  {
    id: 'medical_revenue', zh: '医疗收入', en: 'Medical revenue', unit: 'CNY', kind: 'flow', direction: 'higher_better',
    definitionZh: '门急诊收入（按就诊日期）+ 住院收入（按出院结算日期）。', definitionEn: 'Outpatient and emergency revenue (by visit date) plus inpatient revenue (by discharge settlement date).', source: GK, ruleDate: '2024',
    formula: { numerator: REVENUE }, facts: ['outpatient', 'inpatient'], dimensions: [...REVENUE_DIMS.slice(0, 4), 'fee_category', ...REVENUE_DIMS.slice(4)], budget: 'revenue',
    screens: ['campus', 'department'],
  },
  {
    id: 'drug_share', zh: '药占比', en: 'Drug share of revenue', unit: 'percent', kind: 'ratio', direction: 'lower_better',
    definitionZh: '药品收入 ÷ 医疗收入 × 100%。', definitionEn: 'Drug revenue ÷ medical revenue × 100%.', source: GK, ruleDate: '2024',
    formula: { numerator: ['drugRevenue'], denominator: REVENUE, scale: 100 }, facts: ['outpatient', 'inpatient'], dimensions: REVENUE_DIMS, screens: ['campus'],
  },
  {
    id: 'materials_per_100', zh: '百元医疗收入卫生材料消耗', en: 'Health materials per ¥100 revenue', unit: 'CNY_per_100', kind: 'ratio', direction: 'lower_better',
    definitionZh: '卫生材料收入 ÷（医疗收入 − 药品收入）× 100；耗材零加成，材料收入即材料消耗。',
    definitionEn: 'Health-material revenue ÷ (medical revenue − drug revenue) × 100; with zero mark-up, material revenue equals material cost.', source: GK, ruleDate: '2024',
    formula: { numerator: ['materialRevenue'], denominator: [...REVENUE, '-drugRevenue'], scale: 100 }, facts: ['outpatient', 'inpatient'], dimensions: REVENUE_DIMS, screens: ['campus'],
  },
  {
    id: 'medical_service_share', zh: '医疗服务收入占比', en: 'Medical-service revenue share', unit: 'percent', kind: 'ratio', direction: 'higher_better',
    definitionZh: '医疗服务收入（不含药品、耗材、检查、化验收入）÷ 医疗收入 × 100%。', definitionEn: 'Medical-service revenue (excluding drugs, materials, examinations and laboratory tests) ÷ medical revenue × 100%.', source: GK, ruleDate: '2024',
    formula: { numerator: [...REVENUE, '-drugRevenue', '-materialRevenue', '-examRevenue', '-labRevenue'], denominator: REVENUE, scale: 100 },
    facts: ['outpatient', 'inpatient'], dimensions: REVENUE_DIMS, screens: ['campus'],
  },
  {
    id: 'avg_los', zh: '平均住院日', en: 'Average length of stay', unit: 'days', kind: 'ratio', direction: 'lower_better',
    definitionZh: '出院者占用总床日数 ÷ 出院人数。', definitionEn: 'Bed-days of discharged patients ÷ discharges.', source: GK, ruleDate: '2024',
    formula: { numerator: ['losDays'], denominator: ['discharges'] }, facts: ['inpatient'], dimensions: CASE_DIMS, screens: ['campus', 'department'],
  },
  {
    id: 'outpatient_fee_per_visit', zh: '门诊次均费用', en: 'Outpatient fee per visit', unit: 'CNY_per_visit', kind: 'ratio', direction: 'lower_better',
    definitionZh: '门急诊收入 ÷ 门急诊人次；考核看同比增幅，越低越好。', definitionEn: 'Outpatient and emergency revenue ÷ visits; judged on year-on-year growth, lower is better.', source: GK, ruleDate: '2024',
    formula: { numerator: ['outpatientRevenue'], denominator: ['outpatientVisits', 'emergencyVisits'] }, facts: ['outpatient'],
    dimensions: ['campus', 'department', 'doctor', 'insurance', 'visit_type', 'month', 'day'], screens: ['campus'],
  },
  {
    id: 'inpatient_fee_per_discharge', zh: '住院次均费用', en: 'Inpatient fee per discharge', unit: 'CNY_per_case', kind: 'ratio', direction: 'lower_better',
    definitionZh: '住院收入 ÷ 出院人数；考核看同比增幅，越低越好。', definitionEn: 'Inpatient revenue ÷ discharges; judged on year-on-year growth, lower is better.', source: GK, ruleDate: '2024',
    formula: { numerator: ['inpatientRevenue'], denominator: ['discharges'] }, facts: ['inpatient'], dimensions: CASE_DIMS, screens: ['campus'],
  },
  {
    id: 'direct_cost', zh: '科室直接成本', en: 'Department direct cost', unit: 'CNY', kind: 'flow', direction: 'monitor',
    definitionZh: '成本核算系统按月报送的科室直接成本（人员、卫生材料、药品、折旧、摊销、风险基金、其他运行费用七类要素），不含分摊成本。',
    definitionEn: 'Direct costs reported monthly by the costing system per department (seven elements: personnel, health materials, drugs, depreciation, amortisation, risk fund, other operating), before allocation.',
    source: COSTING, ruleDate: '2021',
    formula: { numerator: ['directCost'] }, facts: ['cost'], dimensions: ['department', 'cost_element', 'month'], budget: 'expense', screens: [],
  },
];

const BY_ID = new Map(KPIS.map((k) => [k.id, k]));

/** The KPI of the catalogue with this id (throws on an unknown id: ids in code are the catalogue's). */
export function kpi(id: string): Kpi {
  const k = BY_ID.get(id);
  if (!k) throw new Error(`未知指标 unknown KPI "${id}"`);
  return k;
}

export const findKpi = (id: string): Kpi | undefined => BY_ID.get(id);

/** The KPIs shown on a screen, in catalogue order. */
export const kpisOn = (screen: 'campus' | 'department'): readonly Kpi[] => KPIS.filter((k) => k.screens.includes(screen));
