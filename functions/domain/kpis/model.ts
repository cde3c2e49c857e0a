/**
 * What a KPI is: one record holding its names, definition (口径) with source and rule date, unit, direction, formula
 * over named measures, the facts and dimensions the explorer may read it by, what it is compared with, and where it is
 * shown. Everything else (the campus tiles, the department tiles, the explorer, the catalogue API, exports, the web's
 * formatting) derives from these records.
 */
import type { ExploreDimension, ExploreFact, ExploreFilter } from './facts.ts';
import { MEASURES, type Figures, type Measure, type Named } from './measures.ts';
import { UNITS, unitName, type KpiUnit } from './units.ts';

export type { KpiUnit } from './units.ts';
export type KpiDirection = 'higher_better' | 'lower_better' | 'monitor' | 'band';
/** Flows add up over a period; stocks are read at the period's last day; ratios divide two sums. */
export type KpiKind = 'flow' | 'stock' | 'ratio';
/** A measure added, or (with a leading minus) subtracted. */
export type Term = Measure | `-${Measure}`;
/** Where a KPI appears besides the analyst's explorer: the campus wall's tiles, a department's tablet tiles. */
export type KpiScreen = 'campus' | 'department';

export interface KpiFormula {
  numerator: readonly Term[];
  denominator?: readonly Term[];
  /** × 100 for percentages and "per ¥100". */
  scale?: number;
  /** The denominator is a daily average over the period's days (average open beds = open bed-days ÷ days). */
  denominatorPerDay?: boolean;
}

export interface Kpi {
  id: string;
  zh: string;
  en: string;
  unit: KpiUnit;
  kind: KpiKind;
  direction: KpiDirection;
  /** For `band` KPIs: the target range, in the KPI's unit. */
  band?: { low: number; high: number };
  definitionZh: string;
  definitionEn: string;
  source: string;
  /** Date (or edition) of the rule the definition follows. */
  ruleDate: string;
  formula: KpiFormula;
  /** The lake facts the measures are read from. */
  facts: readonly ExploreFact[];
  /** Filters every query of the KPI carries (the rows behind "outpatient visits" are the outpatient ones). */
  implicit?: Partial<Record<ExploreFilter, string>>;
  /** Dimensions the explorer offers, in the order it lists them. */
  dimensions: readonly ExploreDimension[];
  /** The budget items compared in "vs budget", when the KPI has a budget. */
  budget?: 'revenue' | 'expense';
  screens: readonly KpiScreen[];
}

/** A KPI as numerator ÷ denominator × scale (a flow or stock has no denominator): the parts an analyst checks a figure by. */
export interface KpiParts {
  numerator: number;
  denominator: number | null;
  scale: number;
}

const termsOf = (terms: readonly Term[], f: Figures): number =>
  terms.reduce((s, t) => (t.startsWith('-') ? s - f[t.slice(1) as Measure] : s + f[t as Measure]), 0);

/**
 * The KPI's parts from a period's sums, its last day's figures (for stocks) and its number of days (for per-day
 * denominators): the one place every formula is evaluated.
 */
export function kpiParts(kpi: Kpi, sum: Figures, last: Figures = sum, days = 1): KpiParts {
  const f = kpi.formula;
  const numerator = termsOf(f.numerator, kpi.kind === 'stock' ? last : sum);
  if (!f.denominator) return { numerator, denominator: null, scale: f.scale ?? 1 };
  const d = termsOf(f.denominator, sum);
  return { numerator, denominator: f.denominatorPerDay ? (days > 0 ? d / days : 0) : d, scale: f.scale ?? 1 };
}

/** numerator ÷ denominator × scale; null where the denominator is 0 (no value, never 0 or ∞). */
export const partsValue = (p: KpiParts): number | null => (p.denominator === null ? p.numerator * p.scale : p.denominator === 0 ? null : (p.numerator / p.denominator) * p.scale);

export function kpiValue(kpi: Kpi, sum: Figures, last: Figures = sum, days = 1): number | null {
  return partsValue(kpiParts(kpi, sum, last, days));
}

/** The formula in words: "（药品收入）÷（门急诊收入 + 住院收入）× 100". */
export function formulaText(kpi: Kpi): Named {
  const side = (terms: readonly Term[], lang: 'zh' | 'en') => terms.map((t, i) => {
    const neg = t.startsWith('-');
    const name = MEASURES[(neg ? t.slice(1) : t) as Measure][lang];
    return i === 0 ? (neg ? `− ${name}` : name) : `${neg ? '−' : '+'} ${name}`;
  }).join(' ');
  const f = kpi.formula;
  const wrap = (s: string, n: number) => (n > 1 ? `（${s}）` : s);
  const build = (lang: 'zh' | 'en') => {
    let text = wrap(side(f.numerator, lang), f.numerator.length);
    if (kpi.kind === 'stock') text += lang === 'zh' ? '（期末日）' : ' (on the last day)';
    if (f.denominator) {
      const d = wrap(side(f.denominator, lang), f.denominator.length);
      text += ` ÷ ${f.denominatorPerDay ? (lang === 'zh' ? `（${d} ÷ 日历天数）` : `(${d} ÷ days)`) : d}`;
    }
    if ((f.scale ?? 1) !== 1) text += ` × ${f.scale}`;
    return text;
  };
  return { zh: build('zh'), en: build('en').replace(/（/g, '(').replace(/）/g, ')') };
}

/** What the catalogue API serves for a KPI: the record with its unit's names and digits and its formula in words. */
export interface KpiDefinition extends Omit<Kpi, 'formula' | 'facts' | 'implicit'> {
  formula: KpiFormula & { zh: string; en: string };
  unitZh: string;
  unitEn: string;
  digits: number;
  tileDigits: number;
  /** A money amount (the explorer and exports let the user show it in 元 or 万元). */
  money: boolean;
  /** The unit's names in 元 and in 万元 (the same for units that are not money). */
  unitNames: { yuan: Named; wan: Named };
}

export function kpiDefinition(kpi: Kpi): KpiDefinition {
  const { facts: _facts, implicit: _implicit, ...shown } = kpi;
  const u = UNITS[kpi.unit];
  return { ...shown, formula: { ...kpi.formula, ...formulaText(kpi) }, unitZh: u.zh, unitEn: u.en, digits: u.digits, tileDigits: u.tileDigits, money: u.money, unitNames: { yuan: unitName(kpi.unit, 'yuan'), wan: unitName(kpi.unit, 'wan') } };
}
