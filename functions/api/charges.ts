/**
 * The charge-lines explorer: what was charged, to whom, by which department, grouped by item, day, month, patient,
 * ordering department, fee category or outpatient/inpatient, with the patient-item-days over the item's daily limit;
 * and the lines themselves, paged. It is where the duplicate-charge and drug-use alerts drill to. The same safety as
 * the KPI explorer: allow-listed groupings and filters, every value a bound parameter, a bounded span, capped groups,
 * paged lines, a time limit, and a cache by query and data date.
 */
import { z } from 'zod';
import { isIsoDate, toDayNumber } from '../domain/calendar.ts';
import { FEE_CATEGORIES } from '../domain/contract.ts';
import { CODED_NAMES, type Named } from '../domain/explore.ts';
import { sqlText } from '../sql/index.ts';
import { nameBook } from './explore/names.ts';
import { fill, num } from './explore/sql.ts';
import { codeParam, count, TIMEOUT_MS } from './explore/query.ts';
import { contractColumn } from './explore/detail.ts';
import type { ApiCaches } from './cache.ts';
import { badRequest } from '../domain/user-error.ts';
import type { QueryEngine, SqlRow } from '../ports.ts';
import type { ChargeFilterName, ChargeGroupRow, ChargeItemInfo, ChargesResponse, ExploreColumn } from './contract.ts';
import type { Cell } from './xlsx.ts';
import { str } from '../lake/values.ts';

export const CHARGE_GROUPINGS = ['item', 'day', 'month', 'patient', 'department', 'category', 'source'] as const;
export type ChargeGrouping = (typeof CHARGE_GROUPINGS)[number];
export const CHARGE_FILTERS = ['department', 'item', 'patient', 'category', 'source'] as const;
export type ChargeFilter = (typeof CHARGE_FILTERS)[number];

/** The only text spliced into the SQL: a column expression per grouping and per filter. */
const GROUP_COLUMNS: Record<ChargeGrouping, string> = {
  item: 'item_code', day: 'dt', month: 'substr(dt, 1, 7)', patient: 'patient_id', department: 'ordering_department_id', category: 'item_category', source: 'source_type',
};
const ORDERS: Record<'amount' | 'over', string> = { amount: 'amount DESC, d.dim_key', over: 'over_limit DESC, amount DESC, d.dim_key' };
const FILTER_COLUMNS: Record<ChargeFilter, string> = {
  department: 'ordering_department_id', item: 'item_code', patient: 'patient_id', category: 'item_category', source: 'source_type',
};

export const CHARGE_GROUP_NAMES: Record<ChargeGrouping | 'lines', Named> = {
  item: { zh: '收费项目', en: 'Item' }, day: { zh: '日', en: 'Day' }, month: { zh: '月', en: 'Month' }, patient: { zh: '患者', en: 'Patient' },
  department: { zh: '开单科室', en: 'Ordering department' }, category: { zh: '费用类别', en: 'Fee category' }, source: { zh: '门诊/住院', en: 'Outpatient/inpatient' },
  lines: { zh: '收费明细', en: 'Charge lines' },
};

/** At most this many days at once: a 13-month use history (the z-score alert's window) fits. */
export const MAX_CHARGE_DAYS = 400;
const GROUP_CAP = 1000;

const date = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');
export const chargesQuery = z.object({
  from: date.optional(),
  to: date.optional(),
  by: z.enum([...CHARGE_GROUPINGS, 'lines']).default('item'),
  department: codeParam.optional(),
  item: codeParam.optional(),
  patient: codeParam.optional(),
  category: z.enum(FEE_CATEGORIES).optional(),
  source: z.enum(['outpatient', 'inpatient']).optional(),
  /** The groups' order: largest amount first, or most patient-days over the daily limit first. */
  sort: z.enum(['amount', 'over']).default('amount'),
  offset: count(1_000_000).default(0),
  limit: count(50_000).pipe(z.number().min(1)).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
}).strict().refine((q) => q.format !== 'json' || q.by !== 'lines' || (q.limit ?? 0) <= 500, { message: 'at most 500 lines per page (exports: 50000)', path: ['limit'] });
export type ChargesQuery = z.infer<typeof chargesQuery>;

export interface ChargesDeps {
  engine: QueryEngine;
  timeoutMs?: number;
  /** Answers by query and data date, the item master and department names by date (the app's caches). */
  caches: Pick<ApiCaches, 'charges' | 'chargeItems' | 'names'>;
}


/** The charge-item master in force on the as-of date (names, price, daily limit), read once per date. */
function itemsOn(deps: ChargesDeps, asOf: string): Promise<Map<string, ChargeItemInfo>> {
  return deps.caches.chargeItems.get(asOf, async () => new Map((await deps.engine.query(sqlText('charge_items'), { params: [asOf, asOf] })).rows.map((r) => [str(r.item_code), {
    code: str(r.item_code), zh: str(r.name_zh), en: str(r.name_en) || str(r.name_zh), category: str(r.item_category),
    unitPrice: num(r.unit_price), dailyLimit: r.daily_limit === null || r.daily_limit === undefined ? null : num(r.daily_limit),
  }])));
}

/** Items from their master, departments from the explorer's name books, coded values from the domain's names. */
interface Book {
  departments: Map<string, Named>;
  items: Map<string, ChargeItemInfo>;
}

function nameOf(book: Book, kind: ChargeGrouping | ChargeFilter, value: string): Named {
  const known = kind === 'item' ? book.items.get(value) : kind === 'department' ? book.departments.get(value) : undefined;
  if (known) return { zh: known.zh, en: known.en };
  if (kind === 'category') return CODED_NAMES.fee_category?.[value] ?? { zh: value, en: value };
  if (kind === 'source') return CODED_NAMES.source?.[value] ?? { zh: value, en: value };
  return { zh: value, en: value };
}

/** One view of the charge lines as of the newest night `asOf`, or why it cannot be given. */
export async function exploreCharges(deps: ChargesDeps, q: ChargesQuery, asOf: string): Promise<ChargesResponse> {
  const to = q.to ?? asOf;
  const from = q.from ?? to;
  if (from > to) throw badRequest(`起始日期 ${from} 晚于结束日期 ${to}`, `from ${from} is after to ${to}`);
  if (toDayNumber(to) - toDayNumber(from) + 1 > MAX_CHARGE_DAYS) {
    throw badRequest(`查询跨度不能超过 ${MAX_CHARGE_DAYS} 天（${from} 至 ${to}）`, `the range may span at most ${MAX_CHARGE_DAYS} days (${from} to ${to})`);
  }
  const filters = CHARGE_FILTERS.flatMap((f) => (q[f] === undefined ? [] : [[f, q[f]!] as const]));
  if (q.by !== 'lines' && filters.some(([f]) => f === q.by)) {
    throw badRequest(`已按${CHARGE_GROUP_NAMES[q.by].zh}筛选，请换一个分组维度`, `already filtered to one ${CHARGE_GROUP_NAMES[q.by].en.toLowerCase()}: group by something else`);
  }
  const limit = q.limit ?? (q.format !== 'json' && q.by === 'lines' ? 50_000 : q.by === 'lines' ? 100 : GROUP_CAP);
  return deps.caches.charges.get(JSON.stringify({ ...q, from, to, limit, format: 'json', asOf }), () => chargesAnswer(deps, q, asOf, { from, to, limit, filters }));
}

async function chargesAnswer(deps: ChargesDeps, q: ChargesQuery, asOf: string, given: { from: string; to: string; limit: number; filters: (readonly [ChargeFilter, string])[] }): Promise<ChargesResponse> {
  const { from, to, limit, filters } = given;

  const where = filters.map(([f]) => `AND ${FILTER_COLUMNS[f]} = ?`).join(' ');
  const values = filters.map(([, v]) => v);
  const options = (params: string[]) => ({ params, timeoutMs: deps.timeoutMs ?? TIMEOUT_MS });
  const book: Book = { departments: await nameBook(deps.engine, deps.caches.names, 'department', asOf), items: await itemsOn(deps, asOf) };
  const figures = (r: SqlRow | undefined) => ({
    lines: num(r?.lines), quantity: num(r?.quantity), amount: num(r?.amount), patients: num(r?.patients), overLimit: num(r?.over_limit),
  });
  // One scan: the whole scope's row first, then the groups (for the lines, one group of every row: an expression that is
  // the same on every row, as a bare constant in GROUP BY is not portable), at most `limit` of them.
  const res = await deps.engine.query(fill('explore_charges', { dimension: q.by === 'lines' ? 'substr(dt, 1, 0)' : GROUP_COLUMNS[q.by], filters: where, order: ORDERS[q.sort] }), {
    ...options([asOf, asOf, from, to, ...values]), maxRows: q.by === 'lines' ? 2 : limit + 1,
  });
  const total = figures(res.rows.find((r) => num(r.is_total) === 1));

  let rows: ChargeGroupRow[] = [];
  let truncated = false;
  let columns: ExploreColumn[] = [];
  let lines: Record<string, string | number | null>[] = [];
  const names: ChargesResponse['names'] = {};
  if (q.by === 'lines') {
    const take = Math.min(limit, Math.max(0, total.lines - q.offset));
    if (take > 0) {
      // Both numbers are integers the schema bounded; Athena and DuckDB take them as literals (not as parameters).
      const page = await deps.engine.query(fill('explore_charge_lines', { filters: where, page: `OFFSET ${Math.trunc(q.offset)} LIMIT ${Math.trunc(take)}` }), options([from, to, ...values]));
      lines = page.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'boolean' ? String(v) : (v as string | number | null)])));
    }
    columns = LINE_COLUMNS;
    for (const [column, kind] of NAMED_COLUMNS) {
      const values = new Set(lines.map((l) => l[column]).filter((v): v is string => typeof v === 'string' && v !== ''));
      names[column] = Object.fromEntries([...values].map((v) => [v, nameOf(book, kind, v)]));
    }
  } else {
    const ordered = q.by === 'day' || q.by === 'month';
    // The first groups in the asked order are kept (the cap); days and months are then shown in calendar order.
    const all = res.rows.filter((r) => num(r.is_total) === 0).map((r) => ({ key: str(r.dim_key), ...figures(r) }));
    if (ordered) all.sort((a, b) => (a.key < b.key ? -1 : 1));
    truncated = res.truncated;
    rows = all.map((r) => ({ ...r, ...nameOf(book, q.by as ChargeGrouping, r.key), share: total.amount ? r.amount / total.amount : null }));
  }

  const answer: ChargesResponse = {
    asOf, from, to, by: q.by, sort: q.sort,
    filters: filters.map(([filter, value]): ChargeFilterName => ({ filter, value, ...nameOf(book, filter, value) })),
    item: q.item ? book.items.get(q.item) ?? null : null,
    total, rows, truncated, limit, columns, lines, names, offset: q.offset,
  };
  return answer;
}

const LINE_COLUMNS: ExploreColumn[] = ['line_id', 'charge_date', 'source_type', 'source_id', 'patient_id', 'item_code', 'item_category', 'quantity', 'unit_price', 'amount', 'ordering_department_id', 'executing_department_id']
  .map((name) => contractColumn('charge_lines', name));

/** The lines' coded columns the page names (the exports keep the codes). */
const NAMED_COLUMNS: [string, ChargeFilter][] = [
  ['source_type', 'source'], ['item_code', 'item'], ['item_category', 'category'], ['ordering_department_id', 'department'], ['executing_department_id', 'department'],
];

const round2 = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);

/**
 * The table the page shows: the groups with their totals, or the lines. As on the page, quantities only where they add
 * up (grouped by item, or one item in view), and no patient count when each group is one patient.
 */
export function chargesTable(a: ChargesResponse): Cell[][] {
  if (a.by === 'lines') return [a.columns.map((c) => `${c.zh} ${c.en}`), ...a.lines.map((r) => a.columns.map((c) => r[c.key] ?? null))];
  const g = CHARGE_GROUP_NAMES[a.by];
  const quantity = a.by === 'item' || a.filters.some((f) => f.filter === 'item');
  const patients = a.by !== 'patient';
  const header: Cell[] = [`${g.zh}编码 ${g.en} code`, `${g.zh} ${g.en}`, '明细条数 Lines', ...(quantity ? ['数量 Quantity'] : []), '金额（元） Amount (CNY)', '占比（%） Share (%)',
    ...(patients ? ['患者数 Patients'] : []), '超每日限收的患者日 Patient-days over the daily limit'];
  const line = (r: Omit<ChargeGroupRow, 'key' | 'zh' | 'en'> & { key: string | null; zh: string; en: string }): Cell[] => [
    r.key, r.zh === r.en ? r.zh : `${r.zh} ${r.en}`, r.lines, ...(quantity ? [round2(r.quantity)] : []), round2(r.amount), round2(r.share === null ? null : r.share * 100),
    ...(patients ? [r.patients] : []), r.overLimit,
  ];
  return [header, ...a.rows.map(line), line({ key: null, zh: '合计', en: 'Total', ...a.total, share: a.total.amount ? 1 : null })];
}

export function chargesMetadata(a: ChargesResponse, generatedAt: string, by: string): Cell[][] {
  return [['项目 Item', '内容 Value'], ...([
    ['视图 View', `${CHARGE_GROUP_NAMES[a.by].zh} ${CHARGE_GROUP_NAMES[a.by].en}`],
    ['期间 Period', `${a.from} – ${a.to}（按收费日期 by charge date）`],
    ['筛选 Filters', a.filters.length ? a.filters.map((f) => `${f.filter}=${f.value} (${f.zh})`).join('; ') : '全院 Whole hospital'],
    ['收费项目 Item', a.item ? `${a.item.zh} ${a.item.en}: 单价 unit price ${a.item.unitPrice}; 每日限收 daily limit ${a.item.dailyLimit ?? '—'}` : '—'],
    ['口径 Definition', '金额与数量含退费（负数冲减）；患者日超限：同一患者同一项目同一天数量合计超过收费项目目录的每日限收数量。 Amounts and quantities net of refunds; a patient-day over the limit is one patient, item and day whose total quantity exceeds the item master\'s daily limit.'],
    ['数据截至 Data as of', a.asOf],
    ['行数 Rows', a.by === 'lines' ? `${a.offset + 1}–${a.offset + a.lines.length} / ${a.total.lines}` : a.rows.length],
    ['截断 Truncated', a.truncated ? '是 yes' : '否 no'],
    ['导出时间 Exported at', generatedAt],
    ['导出人 Exported by', by],
  ] as [string, Cell][]).map(([k, v]): Cell[] => [k, v])];
}
