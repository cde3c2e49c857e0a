/** The rows behind a figure, paged across the KPI's facts (outpatient first); case-level, so audited by the route. */
import { tableSpec } from '../../domain/contract.ts';
import type { ExploreFact } from '../../domain/kpis/facts.ts';
import type { SqlName } from '../../sql/index.ts';
import type { ExploreColumn, ExploreDetailResponse } from '../contract.ts';
import { type ExploreDetailQuery, type ExploreDeps, TIMEOUT_MS, type Resolved, resolve } from './query.ts';
import { clauses, fill, num } from './sql.ts';
import { periodOut, filterNames } from './answer.ts';

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
