/**
 * The analyst's explorer (api/explore/): any catalogue KPI broken down by an allow-listed dimension under allow-listed
 * filters, over a calendar period with a comparison (YoY, MoM, budget, target), and the rows behind it, paged. This
 * file: the request (each parameter once, validated, nothing else accepted), what the explorer needs from the
 * deployment, and the request resolved against the KPI's record.
 */
import { z } from 'zod';
import { EXPLORE_COMPARISONS, EXPLORE_GRAINS, CODED_NAMES, explorePeriod, filterApplies, type ExplorePeriod, type KpiTarget } from '../../domain/explore.ts';
import { isIsoDate } from '../../domain/calendar.ts';
import { KPIS, findKpi } from '../../domain/kpis/catalog.ts';
import { DIMENSION_NAMES, EXPLORE_DIMENSIONS, EXPLORE_FILTERS, MONTHLY_FACTS, type ExploreFilter } from '../../domain/kpis/facts.ts';
import type { Kpi } from '../../domain/kpis/model.ts';
import { badRequest } from '../../domain/user-error.ts';
import type { QueryEngine } from '../../ports.ts';
import type { ApiCaches } from '../cache.ts';

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

export const GROUP_CAP = 5000;
/** An explorer query is cancelled after this long (a 503 that says so). */
export const TIMEOUT_MS = 30_000;

export interface Resolved {
  kpi: Kpi;
  period: ExplorePeriod;
  filters: [ExploreFilter, string][];
}

export function resolve(q: { kpi: string; period: ExploreQuery['period']; date?: string | undefined } & Partial<Record<ExploreFilter, string | undefined>>, asOf: string): Resolved {
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
