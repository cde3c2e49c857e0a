/**
 * The KPI explorer's view as URL state: KPI, breakdown, period, comparison, money unit, chart or table, and the drill
 * path (the filters, in the order they were added, which is the breadcrumb's order). A pasted link reproduces the view.
 */
import type { ExploreComparison, ExploreGrain } from '../../../functions/api/contract.ts';

export interface ExploreView {
  kpi: string;
  dim: string;
  period: ExploreGrain;
  date?: string | undefined;
  compare: ExploreComparison;
  money: 'yuan' | 'wan';
  view: 'chart' | 'table';
  /** [filter, value] in drill order. */
  filters: [string, string][];
}

const FILTERS = new Set(['campus', 'department', 'ward', 'doctor_group', 'doctor', 'drg', 'source', 'insurance', 'visit_type', 'outcome', 'surgery_level', 'day_surgery', 'cost_element']);
const GRAINS = new Set(['day', 'month', 'quarter', 'year', 'ytd']);
const COMPARISONS = new Set(['none', 'yoy', 'mom', 'budget', 'target']);

export function readExploreView(search: string): ExploreView {
  const p = new URLSearchParams(search);
  const period = p.get('period') ?? 'month';
  const compare = p.get('compare') ?? 'yoy';
  return {
    kpi: p.get('kpi') ?? 'medical_revenue',
    dim: p.get('dim') ?? 'campus',
    period: (GRAINS.has(period) ? period : 'month') as ExploreGrain,
    date: p.get('date') ?? undefined,
    compare: (COMPARISONS.has(compare) ? compare : 'yoy') as ExploreComparison,
    money: p.get('money') === 'wan' ? 'wan' : 'yuan',
    view: p.get('view') === 'table' ? 'table' : 'chart',
    // URLSearchParams keeps the order the parameters were written in: the drill order.
    filters: [...p].filter(([k]) => FILTERS.has(k)),
  };
}

export function exploreViewUrl(v: ExploreView, lang: string): URLSearchParams {
  const p = new URLSearchParams({ kpi: v.kpi, dim: v.dim, period: v.period });
  if (v.date) p.set('date', v.date);
  p.set('compare', v.compare);
  p.set('money', v.money);
  p.set('view', v.view);
  for (const [f, value] of v.filters) p.append(f, value);
  p.set('lang', lang);
  return p;
}
