/**
 * DRG/DIP analytics (DOMAIN.md §4): payment standard, CMI, efficiency indices, P&L, high/low-multiple cases, DIP case
 * scores and low-risk-group mortality, computed from discharged cases so that every figure traces back to its cases.
 * Pure: cases and the region's reference data come in, figures go out.
 *
 * "Cost" here is the case's total medical charges (fee_total): what DRG settlement compares the payment standard with.
 * True cost per case needs the costing of issue 5.
 */
import { z } from 'zod';
import { zodProblems } from './config-errors.ts';

export const COST_CATEGORIES = ['drug', 'material', 'exam', 'lab', 'treatment', 'surgery', 'other'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

export interface DrgCase {
  caseId: string;
  patientId: string;
  admissionDate: string;
  dischargeDate: string;
  campusId: string;
  departmentId: string;
  doctorGroupId: string;
  /** Null when the case did not group (未入组). */
  drgCode: string | null;
  losDays: number;
  outcome: string;
  insuranceType: string;
  feeTotal: number;
  /** Charges by cost category (consultation, bed and other fees are "other"). */
  fees: Record<CostCategory, number>;
}

export interface DrgGroupInfo { name: string; weight: number; adrg: string; mdc: string }
export interface DrgBenchmark { avgCost: number; avgLos: number; mortality: number }

/** The region's reference data by year: weights, base rates per insurance type, benchmarks. */
export interface DrgReference {
  groups: ReadonlyMap<number, ReadonlyMap<string, DrgGroupInfo>>;
  baseRates: ReadonlyMap<number, ReadonlyMap<string, number>>;
  benchmarks: ReadonlyMap<number, ReadonlyMap<string, DrgBenchmark>>;
}

// ── region rules: data with a schema ──

const highBand = z.object({
  /** Applies to groups with weight ≤ this (null: any weight above the previous band). */
  maxWeight: z.number().positive().nullable(),
  op: z.enum(['>=', '>']),
  ratio: z.number().positive(),
});
const outlierRuleSet = z.object({
  zh: z.string().min(1),
  en: z.string().min(1),
  high: z.array(highBand).min(1).refine((bands) => bands.at(-1)!.maxWeight === null, { message: 'the last high band must have maxWeight null (it covers every heavier group)' })
    .refine((bands) => bands.every((b, i) => i === 0 || b.maxWeight === null || (bands[i - 1]!.maxWeight !== null && b.maxWeight > bands[i - 1]!.maxWeight!)), { message: 'high bands must be in increasing maxWeight order' }),
  low: z.object({ op: z.enum(['<=', '<']), ratio: z.number().positive() }),
});

export const drgRulesSchema = z.object({
  region: z.string().min(1),
  /** Rule sets for high/low-multiple cases; `outlierRuleSet` picks the one in force. */
  outlierRuleSets: z.record(z.string(), outlierRuleSet),
  outlierRuleSet: z.string(),
  /** DIP deviation bands: below `low` the score is scaled by r, above `high` by (r − 1). */
  dip: z.object({ low: z.number().positive(), high: z.number().positive(), scorePerWeight: z.number().positive() }).refine((d) => d.low < d.high, { message: 'dip.low must be below dip.high' }),
  /** Risk tiers from benchmark mortality: z-score of ln(mortality) across groups; groups with no deaths are low risk. */
  riskTiers: z.object({ lowBelow: z.number(), highFrom: z.number() }).refine((r) => r.lowBelow < r.highFrom, { message: 'riskTiers.lowBelow must be below highFrom' }),
}).refine((r) => r.outlierRuleSet in r.outlierRuleSets, { message: 'outlierRuleSet must name one of outlierRuleSets', path: ['outlierRuleSet'] });

export type DrgRules = z.infer<typeof drgRulesSchema>;
export type OutlierRuleSet = z.infer<typeof outlierRuleSet>;

/** Parses a region's rules, with every problem named by its path, in zh-CN and English. */
export function parseDrgRules(json: unknown, source: string): DrgRules {
  const r = drgRulesSchema.safeParse(json);
  if (r.success) return r.data;
  const problems = zodProblems(r.error);
  throw new Error(`DRG 规则配置无效 ${source}：${problems} / invalid DRG rules in ${source}: ${problems}`);
}

// ── per case ──

export type RiskTier = 'low' | 'mid_low' | 'mid_high' | 'high';
export type Outlier = 'high' | 'low';

export interface EnrichedCase extends DrgCase {
  weight: number | null;
  /** The group's ADRG (the group without its severity suffix), for readmission checks. */
  adrg: string | null;
  groupName: string | null;
  /** Weight × base rate for the case's insurance type and year; null when not grouped or not DRG-settled (self-pay). */
  payment: number | null;
  benchmark: DrgBenchmark | null;
  /** Case cost ÷ benchmark average cost of its group. */
  ratio: number | null;
  outlier: Outlier | null;
  dipScore: number | null;
  riskTier: RiskTier | null;
}

/** The entry for `year`, else the newest earlier year (a region's table stays in force until the next is published). */
function forYear<T>(byYear: ReadonlyMap<number, T>, year: number): T | undefined {
  let best: number | undefined;
  for (const y of byYear.keys()) if (y <= year && (best === undefined || y > best)) best = y;
  return best === undefined ? undefined : byYear.get(best);
}

export function classifyOutlier(ratio: number, weight: number, set: OutlierRuleSet): Outlier | null {
  const band = set.high.find((b) => b.maxWeight === null || weight <= b.maxWeight)!;
  if (band.op === '>=' ? ratio >= band.ratio : ratio > band.ratio) return 'high';
  if (set.low.op === '<=' ? ratio <= set.low.ratio : ratio < set.low.ratio) return 'low';
  return null;
}

/** DIP case score for a disease type of score `typeScore` and cost ratio r. */
export function dipCaseScore(typeScore: number, ratio: number, bands: { low: number; high: number }): number {
  if (ratio < bands.low) return typeScore * ratio;
  if (ratio > bands.high) return typeScore * (ratio - 1);
  return typeScore;
}

/** Risk tier per group from the benchmark mortality: z of ln(mortality) across the groups with deaths. */
export function riskTiers(benchmarks: ReadonlyMap<string, DrgBenchmark>, rules: DrgRules['riskTiers']): Map<string, RiskTier> {
  const logs = [...benchmarks.values()].filter((b) => b.mortality > 0).map((b) => Math.log(b.mortality));
  const mean = logs.reduce((s, x) => s + x, 0) / Math.max(1, logs.length);
  const sd = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, logs.length));
  const tiers = new Map<string, RiskTier>();
  for (const [code, b] of benchmarks) {
    if (b.mortality <= 0 || sd === 0) {
      tiers.set(code, b.mortality <= 0 ? 'low' : 'mid_low');
      continue;
    }
    const z = (Math.log(b.mortality) - mean) / sd;
    tiers.set(code, z < rules.lowBelow ? 'low' : z < 0 ? 'mid_low' : z < rules.highFrom ? 'mid_high' : 'high');
  }
  return tiers;
}

/** Adds weight, payment standard, benchmark, ratio, outlier flag, DIP score and risk tier to each case. */
export function enrichCases(cases: readonly DrgCase[], ref: DrgReference, rules: DrgRules): EnrichedCase[] {
  const set = rules.outlierRuleSets[rules.outlierRuleSet]!;
  const tierCache = new Map<ReadonlyMap<string, DrgBenchmark>, Map<string, RiskTier>>();
  return cases.map((c) => {
    const year = Number(c.dischargeDate.slice(0, 4));
    const info = c.drgCode ? forYear(ref.groups, year)?.get(c.drgCode) : undefined;
    const yearBench = forYear(ref.benchmarks, year);
    const benchmark = c.drgCode ? yearBench?.get(c.drgCode) ?? null : null;
    const rate = forYear(ref.baseRates, year)?.get(c.insuranceType);
    const weight = info?.weight ?? null;
    const ratio = benchmark && benchmark.avgCost > 0 ? c.feeTotal / benchmark.avgCost : null;
    let riskTier: RiskTier | null = null;
    if (c.drgCode && yearBench) {
      let tiers = tierCache.get(yearBench);
      if (!tiers) tierCache.set(yearBench, (tiers = riskTiers(yearBench, rules.riskTiers)));
      riskTier = tiers.get(c.drgCode) ?? null;
    }
    // One literal with every field (no spread): V8 then gives all cases one fast shape; spread-and-extend objects
    // were measured 8× slower to read in summarise (100 ms against 12 ms for 42k cases).
    const enriched: EnrichedCase = {
      caseId: c.caseId, patientId: c.patientId, admissionDate: c.admissionDate, dischargeDate: c.dischargeDate, campusId: c.campusId, departmentId: c.departmentId, doctorGroupId: c.doctorGroupId,
      drgCode: c.drgCode, losDays: c.losDays, outcome: c.outcome, insuranceType: c.insuranceType, feeTotal: c.feeTotal, fees: c.fees,
      weight, adrg: info?.adrg ?? null, groupName: info?.name ?? null, benchmark, ratio, riskTier,
      payment: weight !== null && rate !== undefined ? weight * rate : null,
      outlier: ratio !== null && weight !== null ? classifyOutlier(ratio, weight, set) : null,
      dipScore: ratio !== null && weight !== null ? dipCaseScore(weight * rules.dip.scorePerWeight, ratio, rules.dip) : null,
    };
    return enriched;
  });
}

// ── any set of cases ──

export interface DrgMetrics {
  discharges: number;
  grouped: number;
  /** Grouped ÷ discharged. */
  groupingRate: number | null;
  totalWeight: number;
  /** Σ weights of grouped cases ÷ grouped cases. */
  cmi: number | null;
  groupCount: number;
  avgCost: number | null;
  avgLos: number | null;
  /** DRG-settled cases (grouped, with a base rate for their insurance type): payment standard, charges, P&L, margin. */
  settled: number;
  payment: number;
  cost: number;
  pnl: number;
  margin: number | null;
  /** Charges of all discharged cases by category. */
  costStructure: Record<CostCategory, number>;
  /** Mean of case cost ÷ benchmark cost over grouped cases with a benchmark (= Σ n_g·(avg cost_g ÷ benchmark_g) ÷ Σ n_g). */
  costIndex: number | null;
  timeIndex: number | null;
  benchmarked: number;
  highOutliers: number;
  lowOutliers: number;
  dipScore: number;
  lowRiskCases: number;
  lowRiskDeaths: number;
  lowRiskMortality: number | null;
}

export function summarise(cases: readonly EnrichedCase[]): DrgMetrics {
  // Plain locals on the hot path (an object indexed by category name is several times slower here).
  let drug = 0, material = 0, exam = 0, lab = 0, treatment = 0, surgery = 0, other = 0;
  let grouped = 0, totalWeight = 0, cost = 0, los = 0, settled = 0, payment = 0, settledCost = 0;
  let benchmarked = 0, costRatio = 0, timeRatio = 0, high = 0, low = 0, dip = 0, lowRisk = 0, lowRiskDeaths = 0;
  const groups = new Set<string>();
  for (const c of cases) {
    cost += c.feeTotal;
    los += c.losDays;
    const f = c.fees;
    drug += f.drug;
    material += f.material;
    exam += f.exam;
    lab += f.lab;
    treatment += f.treatment;
    surgery += f.surgery;
    other += f.other;
    if (c.weight === null || !c.drgCode) continue;
    grouped++;
    totalWeight += c.weight;
    groups.add(c.drgCode);
    if (c.payment !== null) {
      settled++;
      payment += c.payment;
      settledCost += c.feeTotal;
    }
    if (c.benchmark && c.benchmark.avgCost > 0 && c.benchmark.avgLos > 0) {
      benchmarked++;
      costRatio += c.feeTotal / c.benchmark.avgCost;
      timeRatio += c.losDays / c.benchmark.avgLos;
    }
    if (c.outlier === 'high') high++;
    if (c.outlier === 'low') low++;
    dip += c.dipScore ?? 0;
    if (c.riskTier === 'low') {
      lowRisk++;
      if (c.outcome === 'death') lowRiskDeaths++;
    }
  }
  const n = cases.length;
  return {
    discharges: n, grouped, groupingRate: n ? grouped / n : null, totalWeight, cmi: grouped ? totalWeight / grouped : null,
    groupCount: groups.size, avgCost: n ? cost / n : null, avgLos: n ? los / n : null,
    settled, payment, cost: settledCost, pnl: payment - settledCost, margin: payment > 0 ? (payment - settledCost) / payment : null,
    costStructure: { drug, material, exam, lab, treatment, surgery, other },
    costIndex: benchmarked ? costRatio / benchmarked : null, timeIndex: benchmarked ? timeRatio / benchmarked : null, benchmarked,
    highOutliers: high, lowOutliers: low, dipScore: dip,
    lowRiskCases: lowRisk, lowRiskDeaths, lowRiskMortality: lowRisk ? lowRiskDeaths / lowRisk : null,
  };
}

/** Cases split by a key (cases whose key is null are left out), in first-seen order. */
export function groupCases<K extends string>(cases: readonly EnrichedCase[], key: (c: EnrichedCase) => K | null): Map<K, EnrichedCase[]> {
  const parts = new Map<K, EnrichedCase[]>();
  for (const c of cases) {
    const k = key(c);
    if (k === null) continue;
    let list = parts.get(k);
    if (!list) parts.set(k, (list = []));
    list.push(c);
  }
  return parts;
}

/** Splits cases by a key and summarises each part, largest first. */
export function summariseBy<K extends string>(cases: readonly EnrichedCase[], key: (c: EnrichedCase) => K | null): Map<K, DrgMetrics> {
  return new Map([...groupCases(cases, key)].map(([k, list]) => [k, summarise(list)] as const).sort((a, b) => b[1].discharges - a[1].discharges));
}
