/**
 * The named facts every KPI is a formula over: additive sums (of a campus-day, a department-month, an explorer group)
 * read from the lake's facts. A KPI's numerator and denominator are sums and differences of these, never code.
 */
export interface Named { zh: string; en: string }

export interface Figures {
  outpatientVisits: number;
  emergencyVisits: number;
  outpatientRevenue: number;
  admissions: number;
  discharges: number;
  losDays: number;
  inpatientRevenue: number;
  occupiedBeds: number;
  openBeds: number;
  surgeries: number;
  drugRevenue: number;
  materialRevenue: number;
  examRevenue: number;
  labRevenue: number;
  directCost: number;
}

export type Measure = keyof Figures;

/** What each measure is, in the user's words (a KPI's definition shows its formula in these names). */
export const MEASURES: Record<Measure, Named> = {
  outpatientVisits: { zh: '门诊人次', en: 'outpatient visits' },
  emergencyVisits: { zh: '急诊人次', en: 'emergency visits' },
  outpatientRevenue: { zh: '门急诊收入', en: 'outpatient and emergency revenue' },
  admissions: { zh: '入院人数', en: 'admissions' },
  discharges: { zh: '出院人数', en: 'discharges' },
  losDays: { zh: '出院者占用总床日数', en: 'bed-days of discharged patients' },
  inpatientRevenue: { zh: '住院收入', en: 'inpatient revenue' },
  occupiedBeds: { zh: '实际占用总床日数', en: 'occupied bed-days' },
  openBeds: { zh: '实际开放总床日数', en: 'open bed-days' },
  surgeries: { zh: '手术台次', en: 'operations' },
  drugRevenue: { zh: '药品收入', en: 'drug revenue' },
  materialRevenue: { zh: '卫生材料收入', en: 'health-material revenue' },
  examRevenue: { zh: '检查收入', en: 'examination revenue' },
  labRevenue: { zh: '化验收入', en: 'laboratory revenue' },
  directCost: { zh: '科室直接成本', en: 'direct cost' },
};

export const MEASURE_IDS = Object.keys(MEASURES) as Measure[];

export const emptyFigures = (): Figures => Object.fromEntries(MEASURE_IDS.map((m) => [m, 0])) as unknown as Figures;

export function addFigures(into: Figures, f: Partial<Figures>): void {
  for (const m of MEASURE_IDS) into[m] += f[m] ?? 0;
}
