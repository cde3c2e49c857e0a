/** What every alert rule reads (the inputs the pipeline prepares), what it returns, and the helpers they share. */
import { daysInMonth, monthStart, shiftMonths } from '../calendar.ts';
import type { AlertFinding, AlertRule, AlertSeverity } from '../alerts.ts';
import type { QualityAssessment } from '../data-quality.ts';
import type { EnrichedCase } from '../drg.ts';
import type { BudgetMonth } from '../budget.ts';

export interface Named { zh: string; en: string }

export interface AlertInputs {
  asOf: string;
  departments: ReadonlyMap<string, Named>;
  wards: ReadonlyMap<string, Named & { departmentId: string }>;
  items: ReadonlyMap<string, Named>;
  /** Patient-item-days whose quantity exceeds the item's daily limit (from the charge lines). */
  chargeExcess: readonly { patientId: string; itemCode: string; day: string; quantity: number; dailyLimit: number; lines: number; departmentId: string }[];
  /** Daily use of drugs and materials per ordering department and item; `useFrom` is the first day the charge lines cover. */
  itemUse: readonly { departmentId: string; itemCode: string; day: string; quantity: number }[];
  useFrom: string | null;
  census: readonly { wardId: string; departmentId: string; day: string; openBeds: number; occupiedBeds: number }[];
  /** Discharged cases, enriched with DRG weight, payment, benchmark, outlier flag and risk tier. */
  cases: readonly EnrichedCase[];
  /** Budget per department, item and month of the as-of year and the year before: the plan in force and the actual. */
  budget: readonly BudgetMonth[];
  /** The data-quality assessments of the last nights, newest last. */
  quality: readonly QualityAssessment[];
}

export interface RuleResult {
  findings: AlertFinding[];
  /** Periods the rule looked at: open alerts of this rule in these periods that it did not find again are auto-resolved. */
  covers: (period: string) => boolean;
  /** Why the rule could not look, when it could not (e.g. not enough history). */
  skipped?: { zh: string; en: string };
}

export type Evaluator = (inputs: AlertInputs, rule: AlertRule) => RuleResult;

export const pct = (x: number, d = 1): string => `${(x * 100).toFixed(d)}%`;
/** Strictly above / below a threshold, ignoring floating-point noise (1,100 ÷ 1,000 is 1.1000000000000001). */
const EPS = 1e-9;
export const above = (x: number, t: number): boolean => x - t > EPS;
export const below = (x: number, t: number): boolean => t - x > EPS;
export const name = (m: ReadonlyMap<string, Named>, id: string): Named => m.get(id) ?? { zh: id, en: id };
export const lastCompleteMonth = (asOf: string): string => {
  const lastDay = daysInMonth(Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7)));
  return Number(asOf.slice(8, 10)) === lastDay ? asOf.slice(0, 7) : shiftMonths(monthStart(asOf), -1).slice(0, 7);
};
export const inMonth = (month: string) => (c: EnrichedCase) => c.dischargeDate.startsWith(month);

/** Rules whose findings are about one patient or case: walls never show their own texts, only `wall` (or the rule's name). */
export const PATIENT_LEVEL_RULES: ReadonlySet<string> = new Set(['duplicate_charges', 'readmission_same_adrg', 'low_risk_death']);

export function finding(rule: AlertRule, f: Omit<AlertFinding, 'ruleId' | 'severity'> & { severity?: AlertSeverity }): AlertFinding {
  return { ...f, ruleId: rule.id, severity: f.severity ?? rule.severity };
}
