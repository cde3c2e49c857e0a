/**
 * The explorer's queries from allow-listed parts: every value travels as a bound parameter; the only text spliced into
 * SQL is an expression from the domain's allow-list (FACT_COLUMNS) or an integer the schema has bounded. Rows become
 * the KPI model's figures by the fact's measure columns.
 */
import { daysInMonth, toDayNumber } from '../../domain/calendar.ts';
import { FEE_CATEGORIES } from '../../domain/contract.ts';
import type { Measure } from '../../domain/kpis/measures.ts';
import { addExploreFigures, emptyExploreFigures, type ExploreFigures, type Span } from '../../domain/explore.ts';
import { FACT_COLUMNS, FACT_MEASURES, type ExploreFact, type ExploreFilter, type Grouping } from '../../domain/kpis/facts.ts';
import { sqlText, type SqlName } from '../../sql/index.ts';
import type { SqlRow } from '../../ports.ts';
import { type ExploreDeps, GROUP_CAP, TIMEOUT_MS, type Resolved } from './query.ts';
import { num } from '../../lake/values.ts';

/** The fact's filter clauses, or null when a filter excludes the fact (it has no such attribute, or another constant). */
export function clauses(fact: ExploreFact, filters: readonly [ExploreFilter, string][]): { sql: string; params: string[] } | null {
  const sql: string[] = [];
  const params: string[] = [];
  for (const [f, v] of filters) {
    const expr = FACT_COLUMNS[fact][f];
    if (!expr) return null;
    if (expr.startsWith("'")) {
      if (expr !== `'${v}'`) return null;
      continue;
    }
    sql.push(`AND ${expr} = ?`);
    params.push(v);
  }
  return { sql: sql.join(' '), params };
}

/** A statement with its dollar-placeholders replaced by allow-listed SQL text (each placeholder must exist). */
export function fill(name: SqlName, parts: { dimension?: string; filters: string; page?: string; order?: string }): string {
  let text = sqlText(name);
  for (const [k, v] of Object.entries(parts)) {
    if (!text.includes(`{{$${k}}}`)) throw new Error(`${name}.sql has no {{$${k}}}`);
    text = text.replaceAll(`{{$${k}}}`, v ?? '');
  }
  return text;
}

export { num };

/** One row of `explore_<fact>.sql` as figures: the fact's measures from their columns, and its revenue by fee category. */
function figuresOf(fact: ExploreFact, r: SqlRow): ExploreFigures {
  const f = emptyExploreFigures();
  for (const [measure, column] of Object.entries(FACT_MEASURES[fact]) as [keyof typeof f, string][]) (f[measure] as number) = num(r[column]);
  if (fact === 'outpatient' || fact === 'inpatient') for (const c of FEE_CATEGORIES) if (fact === 'inpatient' || c !== 'bed') f.fees[c] = num(r[`fee_${c}`]);
  return f;
}

export const TOTAL_KEY = '*';

/** Sums per group over a span, across the KPI's facts. A fact without the dimension lands in the null group. */
async function grouped(deps: ExploreDeps, r: Resolved, grouping: Grouping, span: Span): Promise<{ groups: Map<string | null, ExploreFigures>; truncated: boolean }> {
  const groups = new Map<string | null, ExploreFigures>();
  let truncated = false;
  for (const fact of r.kpi.facts) {
    const where = clauses(fact, r.filters);
    if (!where) continue;
    const expr = grouping === 'total' || grouping === 'fee_category' ? undefined : FACT_COLUMNS[fact][grouping];
    const constant = expr?.startsWith("'") ? expr.slice(1, -1) : undefined;
    const byColumn = expr && !constant;
    // One group for the whole scope: an expression over a column that is the same on every row (PostgreSQL and
    // others refuse a bare constant in GROUP BY).
    const res = await deps.engine.query(fill(`explore_${fact}`, { dimension: byColumn ? expr : 'substr(dt, 1, 0)', filters: where.sql }), {
      params: [span.from, span.to, ...where.params], maxRows: GROUP_CAP, timeoutMs: deps.timeoutMs ?? TIMEOUT_MS,
    });
    truncated ||= res.truncated;
    for (const row of res.rows) {
      const key = byColumn ? (row.dim_key === null ? null : String(row.dim_key)) : grouping === 'total' || grouping === 'fee_category' ? TOTAL_KEY : constant ?? null;
      const into = groups.get(key) ?? emptyExploreFigures();
      addExploreFigures(into, figuresOf(fact, row));
      groups.set(key, into);
    }
  }
  return { groups, truncated };
}

export const isTime = (g: Grouping): g is 'day' | 'month' => g === 'day' || g === 'month';
export const spanDays = (s: Span): number => toDayNumber(s.to) - toDayNumber(s.from) + 1;

/** The days a group covers within a span (for per-day denominators): a day 1, a month its days in the span, else the span's. */
export function groupDays(grouping: Grouping, key: string | null, span: Span): number {
  if (grouping === 'day') return 1;
  if (grouping !== 'month' || key === null) return spanDays(span);
  const first = `${key}-01`;
  const last = `${key}-${String(daysInMonth(Number(key.slice(0, 4)), Number(key.slice(5, 7)))).padStart(2, '0')}`;
  return spanDays({ from: first < span.from ? span.from : first, to: last > span.to ? span.to : last });
}

/**
 * Figures per group for the KPI over a span. A stock (in-hospital count) is read on the span's last day; broken down by
 * day it is each day's count, by month each month's last day's.
 */
export async function figures(deps: ExploreDeps, r: Resolved, grouping: Grouping, span: Span): Promise<{ groups: Map<string | null, ExploreFigures>; total: ExploreFigures; truncated: boolean }> {
  const stock = r.kpi.kind === 'stock';
  const sumAll = (m: Map<string | null, ExploreFigures>) => { const t = emptyExploreFigures(); for (const f of m.values()) addExploreFigures(t, f); return t; };
  if (stock && isTime(grouping)) {
    const days = await grouped(deps, r, 'day', span);
    const last = (await grouped(deps, r, 'total', { from: span.to, to: span.to })).groups.get(TOTAL_KEY) ?? emptyExploreFigures();
    if (grouping === 'day') return { groups: days.groups, total: last, truncated: days.truncated };
    const lastDay = new Map<string, string>();
    for (const k of days.groups.keys()) if (k !== null && k > (lastDay.get(k.slice(0, 7)) ?? '')) lastDay.set(k.slice(0, 7), k);
    return { groups: new Map([...lastDay].map(([m, d]) => [m, days.groups.get(d)!])), total: last, truncated: days.truncated };
  }
  const s = stock ? { from: span.to, to: span.to } : span;
  const g = await grouped(deps, r, grouping, s);
  if (!g.truncated) return { ...g, total: sumAll(g.groups) };
  const t = await grouped(deps, r, 'total', s);
  return { ...g, total: t.groups.get(TOTAL_KEY) ?? emptyExploreFigures() };
}

/**
 * For a per-day denominator (average open beds): the days of the span on which its measure was reported at all. A day
 * without a census counts as 0 beds in the average, so fewer reported days than the span's make the figure too high.
 */
export async function daysReported(deps: ExploreDeps, r: Resolved, span: Span, measure: Measure): Promise<number> {
  const byDay = await grouped(deps, r, 'day', span);
  return [...byDay.groups].filter(([day, f]) => day !== null && f[measure] > 0).length;
}
