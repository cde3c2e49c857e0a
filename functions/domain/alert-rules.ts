/**
 * The early-warning rules: each catalogue id's evaluator (pure functions over inputs the pipeline prepares, in
 * alert-rules/ by family: insurance supervision, DRG, budget, operations and data), and the run over the catalogue.
 * Parameters come from the catalogue (data/alert-rules.json and the hospital's overrides); an evaluator never
 * hard-codes a threshold.
 */
import type { AlertFinding, AlertRule } from './alerts.ts';
import type { AlertInputs, RuleResult, Evaluator } from './alert-rules/common.ts';
import { duplicateCharges, readmission, useGrowth, useZScore } from './alert-rules/insurance.ts';
import { drgOutliers, groupLosing, efficiency, lowRiskDeath, groupingRate, losHigh } from './alert-rules/drg.ts';
import { budgetDeviation, forecastOverrun } from './alert-rules/budget.ts';
import { occupancy, dataQuality } from './alert-rules/operations.ts';

/** The evaluator behind each catalogue id. A catalogue rule with no evaluator is a configuration error. */
export const EVALUATORS: Record<string, Evaluator> = {
  duplicate_charges: duplicateCharges,
  readmission_same_adrg: readmission,
  drug_use_growth: useGrowth,
  drug_use_zscore: useZScore,
  drg_outlier_cases: drgOutliers,
  drg_group_losing: groupLosing,
  drg_efficiency_index: efficiency,
  low_risk_death: lowRiskDeath,
  drg_grouping_rate: groupingRate,
  budget_expense_ahead: budgetDeviation('expense'),
  budget_revenue_behind: budgetDeviation('revenue'),
  budget_forecast_overrun: forecastOverrun,
  bed_occupancy_over: occupancy('over'),
  bed_occupancy_high: occupancy('high'),
  bed_occupancy_low: occupancy('low'),
  los_above_benchmark: losHigh,
  data_quality: dataQuality,
};

export interface Evaluation {
  findings: AlertFinding[];
  results: { rule: AlertRule; result: RuleResult; ms: number }[];
}

/** Runs every enabled rule of the catalogue over the inputs. */
export function evaluateRules(rules: readonly AlertRule[], inputs: AlertInputs): Evaluation {
  const results: Evaluation['results'] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const evaluate = EVALUATORS[rule.id];
    if (!evaluate) throw new Error(`预警规则 ${rule.id} 没有对应的实现 / alert rule ${rule.id} has no evaluator (known: ${Object.keys(EVALUATORS).join(', ')})`);
    const started = performance.now();
    results.push({ rule, result: evaluate(inputs, rule), ms: performance.now() - started });
  }
  return { findings: results.flatMap((r) => r.result.findings), results };
}

export { PATIENT_LEVEL_RULES, type AlertInputs, type Named, type RuleResult } from './alert-rules/common.ts';
