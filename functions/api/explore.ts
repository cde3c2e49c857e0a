/**
 * The analyst's explorer: any catalogue KPI broken down by an allow-listed dimension under allow-listed filters, over a
 * calendar period with a comparison (YoY, MoM, budget, target), and the rows behind it, paged. Every value travels as a
 * bound parameter; the only text spliced into SQL is an expression from the domain's allow-list (FACT_COLUMNS) or an
 * integer the schema has bounded. Answers are cached by query and data date.
 */
import { z } from 'zod';
import { EXPLORE_COMPARISONS, EXPLORE_GRAINS } from '../domain/explore.ts';
import { isIsoDate, monthStart, shiftMonths, addDays, daysInMonth, toDayNumber } from '../domain/calendar.ts';
import { tableSpec, FEE_CATEGORIES } from '../domain/contract.ts';
import {
  CODED_NAMES, MISSING_NAMES, ORDERED_DIMENSIONS, addExploreFigures, comparisonLabel, comparisonSpan, emptyExploreFigures, explorePart, explorePeriod, filterApplies,
  type ExploreFigures, type ExplorePeriod, type KpiTarget, type Named, type Span,
} from '../domain/explore.ts';
import { KPIS, findKpi } from '../domain/kpis/catalog.ts';
import { DIMENSION_NAMES, EXPLORE_DIMENSIONS, EXPLORE_FILTERS, FACT_COLUMNS, FACT_MEASURES, MONTHLY_FACTS, type ExploreFact, type ExploreFilter, type Grouping } from '../domain/kpis/facts.ts';
import { kpiDefinition, partsValue, type Kpi } from '../domain/kpis/model.ts';
import { UNITS, unitName, type KpiUnit } from '../domain/kpis/units.ts';
import { csvDocument } from './export.ts';
import { badRequest } from '../domain/user-error.ts';
import { sqlText, type SqlName } from '../sql/index.ts';
import { QueryLimitError, type QueryEngine, type SqlRow } from '../ports.ts';
import type { ApiCaches, Memo } from './cache.ts';
import type { ExploreColumn, ExploreDetailResponse, ExploreFilterName, ExploreResponse, ExploreRow } from './contract.ts';
import { xlsxWorkbook, type Cell } from './xlsx.ts';

export { QueryLimitError };

// ── the request ──

/** A code parameter (a department, a ward, an item…) and a bounded whole number, as query strings. */
export const codeParam = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be a code (letters, digits, _ . -, at most 40)');
export const count = (max: number) => z.string().regex(/^\d{1,7}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(0).max(max));
const filterShape = Object.fromEntries(EXPLORE_FILTERS.map((f) => [f, codeParam.optional()])) as Record<ExploreFilter, z.ZodOptional<z.ZodString>>;
const base = {
  kpi: z.enum(KPIS.map((k) => k.id) as [string, ...string[]]),
  period: z.enum(EXPLORE_GRAINS).default('month'),
  date: z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD').optional(),
  money: z.enum(['yuan', 'wan']).default('yuan'),
  ...filterShape,
};

export const exploreQuery = z.object({
  ...base,
  dim: z.enum([...EXPLORE_DIMENSIONS, 'total']).default('total'),
  compare: z.enum(EXPLORE_COMPARISONS).default('none'),
  limit: count(1000).pipe(z.number().min(1)).default(200),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
}).strict();
export type ExploreQuery = z.infer<typeof exploreQuery>;

export const exploreDetailQuery = z.object({
  ...base,
  offset: count(1_000_000).default(0),
  limit: count(50_000).pipe(z.number().min(1)).default(100),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
}).strict().refine((q) => q.format !== 'json' || q.limit <= 500, { message: 'at most 500 rows per page (exports: 50000)', path: ['limit'] });
export type ExploreDetailQuery = z.infer<typeof exploreDetailQuery>;

/** Parses a query string: each parameter at most once, names and values validated, nothing else accepted. */
export function parseQuery<T>(schema: z.ZodType<T>, all: Record<string, string[]>): T {
  const repeated = Object.entries(all).filter(([, v]) => v.length > 1).map(([k]) => k);
  if (repeated.length) throw badRequest(`参数重复：${repeated.join('、')}`, `Repeated parameter: ${repeated.join(', ')}`);
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v[0]!])));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => {
    const where = i.path.join('.') || ('keys' in i ? (i.keys as string[]).join(', ') : '');
    return i.code === 'unrecognized_keys' ? `unknown parameter ${(i.keys as string[]).join(', ')}` : `${where} ${i.message}`;
  });
  throw badRequest(`参数错误：${issues.join('；')}`, `Bad query: ${issues.join('; ')}`);
}

// ── what the explorer needs from the deployment ──

export interface ExploreDeps {
  engine: QueryEngine;
  targets: readonly KpiTarget[];
  timeoutMs?: number;
  /** Answers by query and data date, and reference names by date (the app's caches). */
  caches: Pick<ApiCaches, 'explore' | 'exploreDetail' | 'names'>;
}

const GROUP_CAP = 5000;
/** An explorer query is cancelled after this long (a 503 that says so). */
export const TIMEOUT_MS = 30_000;

interface Resolved {
  kpi: Kpi;
  period: ExplorePeriod;
  filters: [ExploreFilter, string][];
}

function resolve(q: { kpi: string; period: ExploreQuery['period']; date?: string | undefined } & Partial<Record<ExploreFilter, string | undefined>>, asOf: string): Resolved {
  const kpi = findKpi(q.kpi)!;
  const period = explorePeriod(q.period, q.date ?? asOf, asOf);
  if ('error' in period) throw badRequest(period.error.zh, period.error.en);
  if (q.period === 'day' && kpi.facts.some((f) => MONTHLY_FACTS.has(f))) throw badRequest(`${kpi.zh}按月报送，不能按日查看`, `${kpi.en} is reported monthly: it has no daily figures`);
  const filters: [ExploreFilter, string][] = [];
  for (const f of EXPLORE_FILTERS) {
    const v = q[f];
    const implicit = kpi.implicit?.[f];
    if (v === undefined) {
      if (implicit !== undefined) filters.push([f, implicit]);
      continue;
    }
    if (!filterApplies(kpi, f)) throw badRequest(`${kpi.zh}不能按${DIMENSION_NAMES[f].zh}筛选`, `${kpi.en} cannot be filtered by ${DIMENSION_NAMES[f].en.toLowerCase()}`);
    const coded = CODED_NAMES[f];
    if (coded && !(v in coded)) throw badRequest(`${DIMENSION_NAMES[f].zh}的取值应为 ${Object.keys(coded).join('、')}`, `${DIMENSION_NAMES[f].en} must be one of ${Object.keys(coded).join(', ')}`);
    if (implicit !== undefined && implicit !== v) throw badRequest(`${kpi.zh}的口径已限定${DIMENSION_NAMES[f].zh}为 ${implicit}`, `${kpi.en} is by definition ${DIMENSION_NAMES[f].en.toLowerCase()} ${implicit}`);
    filters.push([f, v]);
  }
  return { kpi, period, filters };
}

// ── SQL from allow-listed parts ──

/** The fact's filter clauses, or null when a filter excludes the fact (it has no such attribute, or another constant). */
function clauses(fact: ExploreFact, filters: readonly [ExploreFilter, string][]): { sql: string; params: string[] } | null {
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

export const num = (v: unknown): number => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));

/** One row of `explore_<fact>.sql` as figures: the fact's measures from their columns, and its revenue by fee category. */
function figuresOf(fact: ExploreFact, r: SqlRow): ExploreFigures {
  const f = emptyExploreFigures();
  for (const [measure, column] of Object.entries(FACT_MEASURES[fact]) as [keyof typeof f, string][]) (f[measure] as number) = num(r[column]);
  if (fact === 'outpatient' || fact === 'inpatient') for (const c of FEE_CATEGORIES) if (fact === 'inpatient' || c !== 'bed') f.fees[c] = num(r[`fee_${c}`]);
  return f;
}

const TOTAL_KEY = '*';

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

const isTime = (g: Grouping): g is 'day' | 'month' => g === 'day' || g === 'month';
const spanDays = (s: Span): number => toDayNumber(s.to) - toDayNumber(s.from) + 1;

/** The days a group covers within a span (for per-day denominators): a day 1, a month its days in the span, else the span's. */
function groupDays(grouping: Grouping, key: string | null, span: Span): number {
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
async function figures(deps: ExploreDeps, r: Resolved, grouping: Grouping, span: Span): Promise<{ groups: Map<string | null, ExploreFigures>; total: ExploreFigures; truncated: boolean }> {
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

// ── names ──

type NameBook = Map<string, Named>;
type NameBooks = Partial<Record<ExploreFilter, NameBook>>;

const both = (r: SqlRow): Named => ({ zh: String(r.name_zh ?? ''), en: String(r.name_en || r.name_zh || '') });
const BOOKS: Partial<Record<ExploreFilter, { sql: SqlName; id: string; pick: (r: SqlRow) => Named }>> = {
  campus: { sql: 'campuses', id: 'campus_id', pick: both },
  department: { sql: 'departments', id: 'department_id', pick: both },
  ward: { sql: 'wards', id: 'ward_id', pick: both },
  doctor_group: { sql: 'doctor_groups', id: 'doctor_group_id', pick: both },
  doctor: { sql: 'doctors', id: 'doctor_id', pick: (r) => ({ zh: String(r.name_zh), en: String(r.name_zh) }) },
};

/** One reference table's names in force on `asOf` (DRG groups: the newest year's on or before it), cached per date. */
export function nameBook(engine: QueryEngine, names: Memo, dim: ExploreFilter, asOf: string): Promise<NameBook> {
  return names.get(`${asOf}|${dim}`, async () => {
    const params = [asOf, asOf];
    if (dim === 'drg') {
      const rows = (await engine.query(sqlText('drg_groups'), { params })).rows;
      const year = Math.max(...rows.map((r) => num(r.year)).filter((y) => y <= Number(asOf.slice(0, 4))), -Infinity);
      return new Map(rows.filter((r) => num(r.year) === year).map((r) => [String(r.drg_code), { zh: String(r.name_zh), en: String(r.name_zh) }]));
    }
    const book = BOOKS[dim];
    if (!book) return new Map();
    return new Map((await engine.query(sqlText(book.sql), { params })).rows.map((r) => [String(r[book.id]), book.pick(r)]));
  });
}

/** The names of the given dimensions' codes (only those: each is a query over a reference table). */
async function referenceNames(deps: ExploreDeps, asOf: string, dims: Iterable<Grouping>): Promise<NameBooks> {
  const out: NameBooks = {};
  for (const d of new Set(dims)) if (d === 'drg' || d in BOOKS) out[d as ExploreFilter] = await nameBook(deps.engine, deps.caches.names, d as ExploreFilter, asOf);
  return out;
}

function nameOf(book: NameBooks, dim: Grouping, key: string | null): Named {
  if (dim === 'total') return { zh: '合计', en: 'Total' };
  if (key === null) return MISSING_NAMES[dim as keyof typeof MISSING_NAMES] ?? { zh: '（空）', en: '(none)' };
  const coded = CODED_NAMES[dim]?.[key];
  if (coded) return coded;
  const named = book[dim as ExploreFilter]?.get(key);
  if (named) return { zh: `${named.zh}`, en: named.en };
  return { zh: key, en: key };
}

// ── comparisons ──

/** The comparison's key for a time group of the current period (March 2024's 5th ↔ March 2023's 5th). */
function earlierKey(key: string, grouping: Grouping, months: number | 'day'): string {
  if (grouping === 'month') return shiftMonths(`${key}-01`, months === 'day' ? 0 : months).slice(0, 7);
  if (grouping === 'day') return months === 'day' ? addDays(key, -1) : shiftMonths(key, months);
  return key;
}

const BUDGET_ITEMS: Record<string, readonly string[]> = { personnel: ['personnel'], health_materials: ['health_materials'], drugs: ['drugs'], other_operating: ['operating'] };

/**
 * Budget to date for the period: each month's budget (the adjusted version where there is one), an unfinished month pro
 * rata by the days with data. Broken down by department, month or cost element; other breakdowns get the total only.
 */
async function budgetToDate(deps: ExploreDeps, r: Resolved, grouping: Grouping): Promise<{ total: number | null; byKey: Map<string, number> | null; warnings: Named[] }> {
  const kind = r.kpi.budget!;
  const other = r.filters.filter(([f]) => f !== 'department' && f !== 'cost_element');
  if (other.length) {
    return { total: null, byKey: null, warnings: [{ zh: `预算只编到科室（与成本要素），按${other.map(([f]) => DIMENSION_NAMES[f].zh).join('、')}筛选时没有可比的预算`, en: `Budgets exist per department (and cost element) only: none compares under a ${other.map(([f]) => DIMENSION_NAMES[f].en.toLowerCase()).join(', ')} filter` }] };
  }
  const dept = r.filters.find(([f]) => f === 'department')?.[1];
  const element = r.filters.find(([f]) => f === 'cost_element')?.[1];
  const res = await deps.engine.query(sqlText('budget_months'), { params: [monthStart(r.period.from), r.period.dataTo], maxRows: 200_000, timeoutMs: deps.timeoutMs ?? TIMEOUT_MS });
  // The version in force per (month, department, item): adjusted where adjusted.
  const lines = new Map<string, { month: string; department: string; item: string; amount: number; adjusted: boolean }>();
  for (const row of res.rows) {
    if (row.item_type !== kind || (dept && row.department_id !== dept)) continue;
    const month = String(row.month);
    const key = `${month}|${row.department_id}|${row.budget_item}`;
    const adjusted = row.version === 'adjusted';
    const had = lines.get(key);
    if (!had || (adjusted && !had.adjusted)) lines.set(key, { month, department: String(row.department_id), item: String(row.budget_item), amount: num(row.amount), adjusted });
  }
  // Monthly facts (costs) hold whole months: their budget is the whole month's. Daily facts compare with the days they cover.
  const monthly = r.kpi.facts.every((f) => MONTHLY_FACTS.has(f));
  const weight = (month: string): number => {
    if (monthly) return 1;
    const first = `${month}-01`;
    const y = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    const from = first < r.period.from ? r.period.from : first;
    const last = `${month}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
    const to = last > r.period.dataTo ? r.period.dataTo : last;
    return to < from ? 0 : (toDayNumber(to) - toDayNumber(from) + 1) / daysInMonth(y, m);
  };
  const elementOf = (item: string): string | undefined => Object.entries(BUDGET_ITEMS).find(([, items]) => items.includes(item))?.[0];
  let total = 0;
  const byKey = new Map<string, number>();
  for (const l of lines.values()) {
    const el = kind === 'expense' ? elementOf(l.item) : undefined;
    if (kind === 'expense' && !el) continue;
    if (element && el !== element) continue;
    const amount = l.amount * weight(l.month);
    total += amount;
    const key = grouping === 'department' ? l.department : grouping === 'month' ? l.month : grouping === 'cost_element' ? el : undefined;
    if (key !== undefined) byKey.set(key, (byKey.get(key) ?? 0) + amount);
  }
  const warnings: Named[] = [];
  if (kind === 'expense') warnings.push({ zh: '支出预算对应人员经费、卫生材料费、药品费与其他运行费用；折旧、摊销与医疗风险基金不编预算', en: 'Expense budgets cover personnel, health materials, drugs and other operating costs; depreciation, amortisation and the risk fund are not budgeted' });
  if (grouping !== 'total' && grouping !== 'department' && grouping !== 'month' && grouping !== 'cost_element') warnings.push({ zh: `预算不细分到${DIMENSION_NAMES[grouping].zh}，只比较合计`, en: `Budgets are not broken down by ${DIMENSION_NAMES[grouping].en.toLowerCase()}: only the total is compared` });
  return { total: lines.size ? total : null, byKey: grouping === 'department' || grouping === 'month' || grouping === 'cost_element' ? byKey : null, warnings };
}

// ── the answer ──

export type ExploreAnswer = Omit<ExploreResponse, 'cached' | 'elapsedMs'>;

const periodOut = (p: ExplorePeriod, date: string): ExploreResponse['period'] => ({
  grain: p.grain, date, from: p.from, to: p.to, dataTo: p.dataTo, partial: p.partial, days: p.days, daysInPeriod: p.daysInPeriod, zh: p.label.zh, en: p.label.en,
});

async function filterNames(deps: ExploreDeps, filters: readonly [ExploreFilter, string][], asOf: string, implicit: Kpi['implicit'] = {}): Promise<ExploreFilterName[]> {
  const shown = filters.filter(([f, v]) => implicit[f] !== v);
  const book = await referenceNames(deps, asOf, shown.map(([f]) => f));
  return filters.filter(([f, v]) => implicit[f] !== v).map(([filter, value]) => ({ filter, value, ...nameOf(book, filter, value) }));
}

/** The explorer's answer for a query as of the newest night `asOf`, or why it cannot be given. */
export async function explore(deps: ExploreDeps, q: ExploreQuery, asOf: string): Promise<{ answer: ExploreAnswer; cached: boolean }> {
  const r = resolve(q, asOf);
  const { kpi, period } = r;
  const grouping: Grouping = q.dim;
  if (grouping !== 'total' && !kpi.dimensions.includes(grouping)) {
    throw badRequest(`${kpi.zh}不能按${DIMENSION_NAMES[grouping].zh}分解（可用：${kpi.dimensions.map((d) => DIMENSION_NAMES[d].zh).join('、')}）`, `${kpi.en} cannot be broken down by ${DIMENSION_NAMES[grouping].en.toLowerCase()} (available: ${kpi.dimensions.join(', ')})`);
  }
  if (grouping === 'day' && period.grain === 'day') throw badRequest('单日不能再按日分解', 'A single day has no daily breakdown');
  if (isTime(grouping) && kpi.facts.some((f) => MONTHLY_FACTS.has(f)) && grouping === 'day') throw badRequest(`${kpi.zh}按月报送，不能按日分解`, `${kpi.en} is monthly: no daily breakdown`);
  const target = q.compare === 'target' ? deps.targets.find((t) => t.kpi === kpi.id) : undefined;
  if (q.compare === 'budget' && !kpi.budget) throw badRequest(`${kpi.zh}没有预算可比（有预算的指标：${KPIS.filter((k) => k.budget).map((k) => k.zh).join('、')}）`, `${kpi.en} has no budget (KPIs with budgets: ${KPIS.filter((k) => k.budget).map((k) => k.en).join(', ')})`);
  if (q.compare === 'target' && !target && !kpi.band) throw badRequest(`${kpi.zh}没有设定目标值（见 config/targets.json）`, `${kpi.en} has no target (see config/targets.json)`);
  let cmpSpan: Span | undefined;
  if (q.compare === 'yoy' || q.compare === 'mom') {
    const s = comparisonSpan(period, q.compare);
    if ('error' in s) throw badRequest(s.error.zh, s.error.en);
    cmpSpan = s;
  }

  const key = JSON.stringify({ ...q, format: 'json', money: 'yuan', asOf, target });
  const cached = deps.caches.explore.has(key);
  const answer = await deps.caches.explore.get(key, () => answerOf(deps, r, q, asOf, { target, cmpSpan }));
  return { answer, cached };
}

/** Computes the explorer's answer (the queries, the comparison, the rows and the warnings). */
async function answerOf(deps: ExploreDeps, r: Resolved, q: ExploreQuery, asOf: string, given: { target: KpiTarget | undefined; cmpSpan: Span | undefined }): Promise<ExploreAnswer> {
  const { kpi, period } = r;
  const grouping: Grouping = q.dim;
  const { target, cmpSpan } = given;

  const current = await figures(deps, r, grouping, { from: period.from, to: period.dataTo });
  const earlier = cmpSpan ? await figures(deps, r, grouping, cmpSpan) : undefined;
  const budget = q.compare === 'budget' ? await budgetToDate(deps, r, grouping) : undefined;
  const book = await referenceNames(deps, asOf, [grouping]);
  const flowLike = kpi.kind !== 'ratio';
  // An earlier period without a group's rows had none of a flow (0 visits); of a stock or a ratio it has no value.
  const zeroWhenAbsent = kpi.kind === 'flow';
  const changeKind: 'relative' | 'points' | 'difference' = q.compare === 'target' ? 'difference' : kpi.unit === 'percent' && q.compare !== 'budget' ? 'points' : 'relative';
  const months = q.compare === 'yoy' ? -12 : period.grain === 'day' ? 'day' as const : period.grain === 'quarter' ? -3 : -1;

  const compareTo = (value: number | null, k: string | null, fig?: ExploreFigures): number | null => {
    if (q.compare === 'target') {
      if (value === null) return null;
      if (kpi.band) return value < kpi.band.low ? kpi.band.low : value > kpi.band.high ? kpi.band.high : value;
      return target!.value;
    }
    if (q.compare === 'budget') return k === TOTAL_KEY ? budget!.total : k === null ? null : budget!.byKey?.get(k) ?? null;
    if (earlier) {
      if (k === TOTAL_KEY) return partsValue(explorePart(kpi, earlier.total, spanDays(cmpSpan!)));
      const ek = k === null ? null : earlierKey(k, grouping, months);
      const f = earlier.groups.get(ek);
      return f ? partsValue(explorePart(kpi, f, groupDays(grouping, ek, cmpSpan!))) : fig && zeroWhenAbsent ? 0 : null;
    }
    return null;
  };
  const change = (value: number | null, cmp: number | null): number | null => {
    if (value === null || cmp === null) return null;
    if (changeKind === 'relative') return cmp === 0 ? null : (value - cmp) / cmp;
    return value - cmp;
  };
  const currentSpan = { from: period.from, to: period.dataTo };
  const totalParts = explorePart(kpi, current.total, spanDays(currentSpan));
  const row = (k: string | null, names: Named, fig: ExploreFigures, parts = explorePart(kpi, fig, groupDays(grouping, k, currentSpan))): ExploreRow => {
    const value = partsValue(parts);
    const cmp = compareTo(value, k, fig);
    return {
      key: k, zh: names.zh, en: names.en, value, numerator: parts.numerator, denominator: parts.denominator, compare: cmp, change: change(value, cmp),
      share: flowLike && totalParts.numerator !== 0 ? parts.numerator / totalParts.numerator : null,
    };
  };

  let rows: ExploreRow[];
  if (grouping === 'fee_category') {
    // The revenue's categories: one row per category, its share of the total (compared category by category).
    const t = current.total;
    rows = FEE_CATEGORIES.map((c) => {
      const parts = { numerator: t.fees[c], denominator: null, scale: 1 };
      const value = t.fees[c];
      const before = earlier ? earlier.total.fees[c] : null;
      return { key: c, ...nameOf(book, grouping, c), value, numerator: value, denominator: null, compare: before, change: change(value, before), share: parts.numerator && totalParts.numerator ? value / totalParts.numerator : null };
    }).filter((x) => x.value !== 0 || (x.compare ?? 0) !== 0);
  } else if (grouping === 'total') {
    rows = [];
  } else {
    rows = [...current.groups].map(([k, fig]) => row(k, nameOf(book, grouping, k), fig));
  }
  if (ORDERED_DIMENSIONS.has(grouping)) rows.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
  else rows.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || (a.key ?? '').localeCompare(b.key ?? ''));
  let truncated = current.truncated;
  if (rows.length > q.limit) {
    rows = rows.slice(0, q.limit);
    truncated = true;
  }

  const warnings: Named[] = [];
  if (period.partial) {
    warnings.push({
      zh: `${period.label.zh}尚未结束：数据截至 ${period.dataTo}（${period.days}/${period.daysInPeriod} 天）${cmpSpan ? `，对比期取相同日历天数（${cmpSpan.from} 至 ${cmpSpan.to}）` : ''}`,
      en: `${period.label.en} is not over: data to ${period.dataTo} (${period.days} of ${period.daysInPeriod} days)${cmpSpan ? `; compared with the same calendar days (${cmpSpan.from} to ${cmpSpan.to})` : ''}`,
    });
  }
  if (kpi.facts.some((f) => MONTHLY_FACTS.has(f)) && period.dataTo.slice(0, 7) === asOf.slice(0, 7)) {
    warnings.push({ zh: `${kpi.zh}按月报送：${asOf.slice(0, 7)} 的数据可能尚未送达`, en: `${kpi.en} is reported monthly: ${asOf.slice(0, 7)} may not be delivered yet` });
  }
  if (kpi.kind === 'stock') warnings.push({ zh: `${kpi.zh}为时点数：取 ${period.dataTo} 24 时的值`, en: `${kpi.en} is a stock: the count at midnight on ${period.dataTo}` });
  if (budget) warnings.push(...budget.warnings);
  if (target) warnings.push({ zh: `目标：${target.value}（${target.basisZh}）`, en: `Target: ${target.value} (${target.basisEn})` });
  else if (q.compare === 'target' && kpi.band) warnings.push({ zh: `目标区间 ${kpi.band.low}–${kpi.band.high}：区间内差值为 0`, en: `Target band ${kpi.band.low}–${kpi.band.high}: within it the difference is 0` });
  if (truncated) warnings.push({ zh: `结果超过 ${q.limit} 行，只显示前 ${q.limit} 行；请加筛选条件`, en: `More than ${q.limit} rows: the first ${q.limit} are shown; add a filter` });

  const answer: ExploreAnswer = {
    asOf, kpi: kpiDefinition(kpi), dimension: grouping, dimensions: [...kpi.dimensions], filterable: EXPLORE_FILTERS.filter((f) => filterApplies(kpi, f) && kpi.implicit?.[f] === undefined),
    filters: await filterNames(deps, r.filters, asOf, kpi.implicit), period: periodOut(period, q.date ?? asOf),
    comparison: q.compare === 'none' ? null : { kind: q.compare, from: cmpSpan?.from ?? null, to: cmpSpan?.to ?? null, ...comparisonLabel(q.compare, cmpSpan), changeKind },
    total: row(TOTAL_KEY, { zh: '合计', en: 'Total' }, current.total, totalParts), rows, truncated, limit: q.limit, warnings, detail: true,
  };
  return answer;
}

// ── the rows behind a figure ──

const DETAIL_COLUMNS: Record<ExploreFact, { sql: SqlName; table: string; columns: string[] }> = {
  outpatient: { sql: 'explore_outpatient_rows', table: 'outpatient_visits', columns: ['visit_id', 'visit_date', 'visit_type', 'campus_id', 'department_id', 'doctor_id', 'insurance_type', 'fee_total', 'fee_drug', 'fee_material', 'fee_exam', 'fee_lab'] },
  inpatient: { sql: 'explore_inpatient_rows', table: 'inpatient_cases', columns: ['case_id', 'admission_date', 'discharge_date', 'campus_id', 'department_id', 'ward_id', 'doctor_group_id', 'drg_code', 'los_days', 'outcome', 'insurance_type', 'fee_total', 'fee_drug', 'fee_material', 'fee_exam', 'fee_lab'] },
  census: { sql: 'explore_census_rows', table: 'bed_census', columns: ['census_date', 'ward_id', 'campus_id', 'department_id', 'open_beds', 'occupied_beds', 'admissions', 'discharges'] },
  surgery: { sql: 'explore_surgery_rows', table: 'surgeries', columns: ['surgery_id', 'surgery_date', 'campus_id', 'department_id', 'case_id', 'surgery_level', 'is_day_surgery'] },
  cost: { sql: 'explore_cost_rows', table: 'department_costs', columns: ['month', 'department_id', 'cost_element', 'amount'] },
};

/** A lake column as a table's column: its contract names and how to show it. */
export function contractColumn(table: string, name: string): ExploreColumn {
  const col = tableSpec(table).columns.find((c) => c.name === name)!;
  return { key: name, zh: col.zh, en: col.en, type: col.type === 'money' ? 'money' : col.type === 'integer' || col.type === 'decimal' ? 'number' : col.type === 'date' ? 'date' : 'string' };
}

function detailColumns(facts: readonly ExploreFact[]): ExploreColumn[] {
  const out: ExploreColumn[] = facts.length > 1 ? [{ key: 'source', zh: '门诊/住院', en: 'Outpatient/inpatient', type: 'string' }] : [];
  for (const fact of facts) {
    for (const name of DETAIL_COLUMNS[fact].columns) if (!out.some((c) => c.key === name)) out.push(contractColumn(DETAIL_COLUMNS[fact].table, name));
  }
  return out;
}

/** One page of the rows behind the KPI under the filters; several facts (revenue) follow each other, outpatient first. */
export async function exploreDetail(deps: ExploreDeps, q: ExploreDetailQuery, asOf: string): Promise<ExploreDetailResponse> {
  const r = resolve(q, asOf);
  return deps.caches.exploreDetail.get(JSON.stringify({ ...q, format: 'json', asOf }), () => detailPage(deps, r, q, asOf));
}

async function detailPage(deps: ExploreDeps, r: Resolved, q: ExploreDetailQuery, asOf: string): Promise<ExploreDetailResponse> {
  const { kpi, period } = r;
  const span = kpi.kind === 'stock' ? { from: period.dataTo, to: period.dataTo } : { from: period.from, to: period.dataTo };
  const facts = kpi.facts.filter((f) => clauses(f, r.filters) !== null);
  const rows: Record<string, string | number | null>[] = [];
  let offset = q.offset;
  let left = q.limit;
  let total = 0;
  for (const fact of facts) {
    const where = clauses(fact, r.filters)!;
    const params = [span.from, span.to, ...where.params];
    const options = { params, timeoutMs: deps.timeoutMs ?? TIMEOUT_MS };
    const n = num((await deps.engine.query(`SELECT COUNT(*) AS n FROM (${fill(DETAIL_COLUMNS[fact].sql, { filters: where.sql, page: '' })}) t`, options)).rows[0]?.n);
    total += n;
    if (left === 0 || offset >= n) {
      offset = Math.max(0, offset - n);
      continue;
    }
    const take = Math.min(left, n - offset);
    // Both numbers are integers the schema bounded; Athena and DuckDB take them as literals (not as parameters).
    const page = await deps.engine.query(fill(DETAIL_COLUMNS[fact].sql, { filters: where.sql, page: `OFFSET ${Math.trunc(offset)} LIMIT ${Math.trunc(take)}` }), options);
    for (const row of page.rows) {
      const out: Record<string, string | number | null> = facts.length > 1 ? { source: fact } : {};
      for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'boolean' ? String(v) : v;
      rows.push(out);
    }
    left -= page.rows.length;
    offset = 0;
  }
  const answer: ExploreDetailResponse = {
    asOf, kpi: kpi.id, period: periodOut(period, q.date ?? asOf), filters: await filterNames(deps, r.filters, asOf, kpi.implicit),
    columns: detailColumns(facts.length ? facts : kpi.facts), rows, offset: q.offset, limit: q.limit, total,
  };
  return answer;
}

// ── exports: exactly what the explorer shows ──

const scaleOf = (unit: KpiUnit, money: 'yuan' | 'wan'): number => (UNITS[unit].money && money === 'wan' ? 10_000 : 1);
const round = (x: number | null, digits: number): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** The table the explorer shows: header and rows, values in the chosen money unit, rounded as displayed. */
export function exploreTable(a: ExploreAnswer, money: 'yuan' | 'wan'): Cell[][] {
  const unit = unitName(a.kpi.unit, money);
  const scale = scaleOf(a.kpi.unit, money);
  const digits = a.kpi.digits;
  const ratio = a.kpi.kind === 'ratio';
  const dim = a.dimension === 'total' ? { zh: '范围', en: 'Scope' } : DIMENSION_NAMES[a.dimension];
  const header: Cell[] = [`${dim.zh}编码 ${dim.en} code`, `${dim.zh} ${dim.en}`, `${a.kpi.zh}（${unit.zh}） ${a.kpi.en} (${unit.en})`];
  if (ratio) header.push('分子 Numerator', '分母 Denominator');
  else header.push('占比 Share');
  if (a.comparison) {
    header.push(`${a.comparison.zh.replace(/（.*$/, '')} ${a.comparison.en.replace(/ \(.*$/, '')}`);
    header.push(a.comparison.changeKind === 'relative' ? '变化率 Change (%)' : a.comparison.changeKind === 'points' ? '变化（百分点） Change (points)' : '差值 Difference');
  }
  const line = (x: ExploreRow): Cell[] => {
    const out: Cell[] = [x.key, x.zh === x.en ? x.zh : `${x.zh} ${x.en}`, round(x.value === null ? null : x.value / scale, digits)];
    if (ratio) out.push(round(x.numerator, 2), round(x.denominator, 2));
    else out.push(round(x.share === null ? null : x.share * 100, 2));
    if (a.comparison) {
      out.push(round(x.compare === null ? null : x.compare / scale, digits));
      out.push(round(x.change === null ? null : a.comparison.changeKind === 'relative' ? x.change * 100 : x.change / (a.comparison.changeKind === 'difference' ? scale : 1), 2));
    }
    return out;
  };
  return [header, ...a.rows.map(line), line({ ...a.total, key: null })];
}

export function detailTable(d: ExploreDetailResponse): Cell[][] {
  return [d.columns.map((c) => `${c.zh} ${c.en}`), ...d.rows.map((r) => d.columns.map((c) => r[c.key] ?? null))];
}

function metadata(rows: [string, Cell][]): Cell[][] {
  return [['项目 Item', '内容 Value'], ...rows.map(([k, v]): Cell[] => [k, v])];
}

export function exploreMetadata(a: ExploreAnswer, money: 'yuan' | 'wan', generatedAt: string, by: string): Cell[][] {
  const unit = unitName(a.kpi.unit, money);
  return metadata([
    ['指标 KPI', `${a.kpi.zh} ${a.kpi.en} (${a.kpi.id})`],
    ['口径 Definition', `${a.kpi.definitionZh} ${a.kpi.definitionEn}`],
    ['单位 Unit', `${unit.zh} ${unit.en}`],
    ['方向 Direction', a.kpi.direction],
    ['来源 Source', `${a.kpi.source} (${a.kpi.ruleDate})`],
    ['分解维度 Breakdown', a.dimension === 'total' ? '合计 Total' : `${DIMENSION_NAMES[a.dimension].zh} ${DIMENSION_NAMES[a.dimension].en}`],
    ['期间 Period', `${a.period.zh} ${a.period.en}: ${a.period.from} – ${a.period.dataTo}${a.period.partial ? ` (未结束 partial: ${a.period.days}/${a.period.daysInPeriod})` : ''}`],
    ['对比 Comparison', a.comparison ? `${a.comparison.zh} ${a.comparison.en}` : '无 None'],
    ['筛选 Filters', a.filters.length ? a.filters.map((f) => `${DIMENSION_NAMES[f.filter].zh} ${f.filter}=${f.value} (${f.zh})`).join('; ') : '全院 Whole hospital'],
    ['数据截至 Data as of', a.asOf],
    ['行数 Rows', a.rows.length],
    ['截断 Truncated', a.truncated ? '是 yes' : '否 no'],
    ['说明 Notes', a.warnings.map((w) => `${w.zh} / ${w.en}`).join('\n')],
    ['导出时间 Exported at', generatedAt],
    ['导出人 Exported by', by],
  ]);
}

export function detailMetadata(d: ExploreDetailResponse, kpi: Kpi, generatedAt: string, by: string): Cell[][] {
  return metadata([
    ['指标 KPI', `${kpi.zh} ${kpi.en} (${kpi.id})`],
    ['口径 Definition', `${kpi.definitionZh} ${kpi.definitionEn}`],
    ['期间 Period', `${d.period.zh} ${d.period.en}: ${d.period.from} – ${d.period.dataTo}`],
    ['筛选 Filters', d.filters.length ? d.filters.map((f) => `${DIMENSION_NAMES[f.filter].zh} ${f.filter}=${f.value} (${f.zh})`).join('; ') : '全院 Whole hospital'],
    ['数据截至 Data as of', d.asOf],
    ['行 Rows', `${d.offset + 1}–${d.offset + d.rows.length} / ${d.total}`],
    ['导出时间 Exported at', generatedAt],
    ['导出人 Exported by', by],
  ]);
}

/** The table as CSV, through the one export path that neutralises formulas. */
export const toCsv = (table: Cell[][]): string => csvDocument(table);

export function toXlsx(table: Cell[][], meta: Cell[][], name: string): Uint8Array {
  return xlsxWorkbook([{ name, rows: table, widths: table[0]!.map((h) => Math.min(40, Math.max(12, String(h).length))) }, { name: '说明 About', rows: meta, widths: [24, 100] }]);
}
