/**
 * Integrated cost (DOMAIN.md §6) beyond the step-down itself: the hospital's cost model as configuration (the
 * allocation drivers and the clinical department cost monitoring indicators), the allocation of each of the seven
 * cost elements, unit costs and the indicators' values against the hospital median.
 */
import { z } from 'zod';
import { zodProblems } from './config-errors.ts';
import { COST_ELEMENTS } from './contract.ts';
import { COST_DRIVERS, stepDown, type AllocationDrivers, type CostClass, type CostDriver } from './cost-allocation.ts';

export type CostElement = (typeof COST_ELEMENTS)[number];

export const ELEMENT_NAMES: Record<CostElement, { zh: string; en: string }> = {
  personnel: { zh: '人员经费', en: 'Personnel' },
  health_materials: { zh: '卫生材料费', en: 'Health materials' },
  drugs: { zh: '药品费', en: 'Drugs' },
  depreciation: { zh: '固定资产折旧', en: 'Depreciation' },
  amortisation: { zh: '无形资产摊销', en: 'Amortisation' },
  risk_fund: { zh: '医疗风险基金', en: 'Medical-risk fund' },
  other_operating: { zh: '其他运行费用', en: 'Other operating' },
};

/**
 * What an indicator may be built from: a department's figures for a period (money in CNY). The pipeline fills every
 * measure; an indicator is `numerator ÷ denominator × scale`.
 */
export const MEASURES = {
  revenue: { zh: '医疗收入', en: 'Medical revenue' },
  outpatient_revenue: { zh: '门急诊收入', en: 'Outpatient revenue' },
  inpatient_revenue: { zh: '住院收入', en: 'Inpatient revenue' },
  drug_revenue: { zh: '药品收入', en: 'Drug revenue' },
  material_revenue: { zh: '卫生材料收入', en: 'Material revenue' },
  direct_cost: { zh: '直接成本', en: 'Direct cost' },
  full_cost: { zh: '全成本（分摊后）', en: 'Full cost (after allocation)' },
  personnel: ELEMENT_NAMES.personnel,
  health_materials: ELEMENT_NAMES.health_materials,
  drugs: ELEMENT_NAMES.drugs,
  depreciation: ELEMENT_NAMES.depreciation,
  amortisation: ELEMENT_NAMES.amortisation,
  risk_fund: ELEMENT_NAMES.risk_fund,
  other_operating: ELEMENT_NAMES.other_operating,
  // Stocks are added up over the period's months (person-months, m²-months, bed-months), so that "per month" ratios
  // hold for a month and for a year to date alike.
  headcount: { zh: '在岗人数（人·月）', en: 'Headcount (person-months)' },
  doctors: { zh: '医生数（人·月）', en: 'Doctors (person-months)' },
  nurses: { zh: '护士数（人·月）', en: 'Nurses (person-months)' },
  floor_area: { zh: '使用面积（m²·月）', en: 'Floor area (m²-months)' },
  energy_kwh: { zh: '用电量', en: 'Electricity used' },
  energy_cost: { zh: '能耗支出', en: 'Energy cost' },
  visits: { zh: '门急诊人次', en: 'Outpatient and emergency visits' },
  discharges: { zh: '出院人次', en: 'Discharges' },
  bed_days: { zh: '实际占用床日', en: 'Occupied bed-days' },
  open_bed_days: { zh: '实际开放床日', en: 'Open bed-days' },
  open_bed_months: { zh: '开放床位（床·月：各月开放床日 ÷ 当月天数之和）', en: 'Open beds (bed-months: each month\'s open bed-days ÷ its days, added up)' },
  inpatient_full_cost: { zh: '住院全成本', en: 'Inpatient full cost' },
} as const;
export type Measure = keyof typeof MEASURES;
export type Measures = Record<Measure, number>;
const MEASURE_IDS = Object.keys(MEASURES) as [Measure, ...Measure[]];

export const DIMENSIONS = {
  people: { zh: '人', en: 'People' },
  equipment: { zh: '设备', en: 'Equipment' },
  drugs_materials: { zh: '药耗', en: 'Drugs and materials' },
  space: { zh: '空间', en: 'Space' },
  beds: { zh: '床位', en: 'Beds' },
  energy: { zh: '能耗', en: 'Energy' },
} as const;
export type Dimension = keyof typeof DIMENSIONS;

const driver = z.enum(COST_DRIVERS);
const indicatorSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]{1,60}$/),
  dimension: z.enum(Object.keys(DIMENSIONS) as [Dimension, ...Dimension[]]),
  zh: z.string().min(1),
  en: z.string().min(1),
  definitionZh: z.string().min(1),
  definitionEn: z.string().min(1),
  numerator: z.enum(MEASURE_IDS),
  denominator: z.enum(MEASURE_IDS),
  scale: z.number().positive().default(1),
  unitZh: z.string(),
  unitEn: z.string(),
  /** Which way is better: lower (a cost ratio), higher (a yield), or neither (read against the median). */
  direction: z.enum(['higher', 'lower', 'neutral']),
}).strict();

const modelSchema = z.object({
  version: z.literal(1),
  drivers: z.object({ administrative: driver, medical_auxiliary: driver, medical_technical: driver }).strict(),
  indicators: z.array(indicatorSchema).min(1),
}).strict();

export type MonitoringIndicator = z.infer<typeof indicatorSchema>;
export interface CostModel {
  drivers: AllocationDrivers;
  indicators: MonitoringIndicator[];
}

/** Parses a cost model file, naming the file and the offending field when it is wrong. */
export function parseCostModel(json: unknown, source: string): CostModel {
  const r = modelSchema.safeParse(json);
  if (!r.success) {
    const problems = zodProblems(r.error);
    throw new Error(`成本模型配置无效 ${source}：${problems} / invalid cost model ${source}: ${problems}`);
  }
  const seen = new Set<string>();
  for (const i of r.data.indicators) {
    if (seen.has(i.id)) throw new Error(`成本模型配置无效 ${source}：指标 ${i.id} 重复 / invalid cost model ${source}: indicator "${i.id}" appears twice`);
    seen.add(i.id);
  }
  return { drivers: r.data.drivers, indicators: r.data.indicators };
}

// ── allocation of the seven elements ──

export interface DepartmentCostInput {
  id: string;
  cls: CostClass;
  /** Direct cost per element, in cents. */
  elements: Partial<Record<CostElement, number>>;
  drivers: Record<CostDriver, number>;
}

export interface DepartmentFullCost {
  id: string;
  cls: CostClass;
  /** Per element, in cents: the department's own direct cost… */
  direct: Record<CostElement, number>;
  /** …and what it received from the three allocating classes (clinical departments keep it; the others pass it on). */
  received: Record<CostElement, number>;
  /** Received from each level, all elements together, in cents. */
  fromAdministrative: number;
  fromAuxiliary: number;
  fromTechnical: number;
  directCents: number;
  /** Clinical: direct + received. The other classes: 0 (their cost has been passed on). */
  fullCents: number;
}

const zeroElements = (): Record<CostElement, number> => Object.fromEntries(COST_ELEMENTS.map((e) => [e, 0])) as Record<CostElement, number>;

/**
 * Steps each cost element down on its own (the same drivers for all seven), so that a clinical department's full cost
 * keeps its composition by element. Each element reconciles to the cent, hence so does the total.
 */
export function allocateElements(departments: readonly DepartmentCostInput[], drivers: AllocationDrivers): { departments: DepartmentFullCost[]; directCents: number; fullCents: number } {
  const out = new Map<string, DepartmentFullCost>(departments.map((d) => [d.id, {
    id: d.id, cls: d.cls, direct: zeroElements(), received: zeroElements(), fromAdministrative: 0, fromAuxiliary: 0, fromTechnical: 0, directCents: 0, fullCents: 0,
  }]));
  for (const element of COST_ELEMENTS) {
    const rows = stepDown(departments.map((d) => ({ id: d.id, cls: d.cls, directCents: d.elements[element] ?? 0, drivers: d.drivers })), drivers);
    for (const r of rows) {
      const o = out.get(r.id)!;
      o.direct[element] += r.directCents;
      o.directCents += r.directCents;
      o.fromAdministrative += r.fromAdministrative;
      o.fromAuxiliary += r.fromAuxiliary;
      o.fromTechnical += r.fromTechnical;
      if (r.cls === 'clinical') {
        o.received[element] += r.fullCents - r.directCents;
        o.fullCents += r.fullCents;
      }
    }
  }
  const list = [...out.values()];
  return { departments: list, directCents: list.reduce((s, d) => s + d.directCents, 0), fullCents: list.reduce((s, d) => s + d.fullCents, 0) };
}

// ── unit costs and indicators ──

export interface UnitCosts {
  /** The outpatient part of the full cost, split by the outpatient share of revenue. */
  outpatientShare: number | null;
  perVisit: number | null;
  perBedDay: number | null;
  perDischarge: number | null;
}

/**
 * Unit costs of a clinical department: its full cost split between outpatient and inpatient work by revenue share,
 * then the outpatient part per visit and the inpatient part per occupied bed-day and per discharge.
 */
export function unitCosts(m: Pick<Measures, 'full_cost' | 'outpatient_revenue' | 'inpatient_revenue' | 'visits' | 'bed_days' | 'discharges'>): UnitCosts {
  const revenue = m.outpatient_revenue + m.inpatient_revenue;
  if (!(revenue > 0)) return { outpatientShare: null, perVisit: null, perBedDay: null, perDischarge: null };
  const share = m.outpatient_revenue / revenue;
  const op = m.full_cost * share;
  const ip = m.full_cost - op;
  return {
    outpatientShare: share,
    perVisit: m.visits > 0 ? op / m.visits : null,
    perBedDay: m.bed_days > 0 ? ip / m.bed_days : null,
    perDischarge: m.discharges > 0 ? ip / m.discharges : null,
  };
}

export const indicatorValue = (i: Pick<MonitoringIndicator, 'numerator' | 'denominator' | 'scale'>, m: Measures): number | null =>
  m[i.denominator] > 0 ? (m[i.numerator] / m[i.denominator]) * i.scale : null;

/** The median of the values present (the mean of the two middle ones for an even count); null when there are none. */
export function median(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export interface IndicatorReading {
  id: string;
  value: number | null;
  median: number | null;
  /** Better, worse or level with the median, read in the indicator's direction (±5% of the median counts as level); null for a neutral indicator. */
  vsMedian: 'better' | 'worse' | 'level' | null;
}

/** Every indicator for every department in `measures`, against the median of all of them. */
export function readIndicators(indicators: readonly MonitoringIndicator[], measures: ReadonlyMap<string, Measures>): Map<string, IndicatorReading[]> {
  const out = new Map<string, IndicatorReading[]>([...measures.keys()].map((id) => [id, []]));
  for (const ind of indicators) {
    const values = new Map([...measures].map(([id, m]) => [id, indicatorValue(ind, m)]));
    const med = median([...values.values()]);
    for (const [id, value] of values) {
      let vs: IndicatorReading['vsMedian'] = null;
      if (value !== null && med !== null && ind.direction !== 'neutral') {
        const rel = med === 0 ? (value === 0 ? 0 : Math.sign(value)) : (value - med) / Math.abs(med);
        vs = Math.abs(rel) <= 0.05 ? 'level' : (rel > 0) === (ind.direction === 'higher') ? 'better' : 'worse';
      }
      out.get(id)!.push({ id: ind.id, value, median: med, vsMedian: vs });
    }
  }
  return out;
}
