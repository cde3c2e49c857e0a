/** The names of coded values in an answer: reference tables in force on the as-of date, read once per date (cached). */
import { CODED_NAMES, MISSING_NAMES, type Named } from '../../domain/explore.ts';
import type { ExploreFilter, Grouping } from '../../domain/kpis/facts.ts';
import { sqlText, type SqlName } from '../../sql/index.ts';
import type { QueryEngine, SqlRow } from '../../ports.ts';
import type { Memo } from '../cache.ts';
import type { ExploreDeps } from './query.ts';
import { num } from './sql.ts';

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
export async function referenceNames(deps: ExploreDeps, asOf: string, dims: Iterable<Grouping>): Promise<NameBooks> {
  const out: NameBooks = {};
  for (const d of new Set(dims)) if (d === 'drg' || d in BOOKS) out[d as ExploreFilter] = await nameBook(deps.engine, deps.caches.names, d as ExploreFilter, asOf);
  return out;
}

export function nameOf(book: NameBooks, dim: Grouping, key: string | null): Named {
  if (dim === 'total') return { zh: '合计', en: 'Total' };
  if (key === null) return MISSING_NAMES[dim as keyof typeof MISSING_NAMES] ?? { zh: '（空）', en: '(none)' };
  const coded = CODED_NAMES[dim]?.[key];
  if (coded) return coded;
  const named = book[dim as ExploreFilter]?.get(key);
  if (named) return { zh: `${named.zh}`, en: named.en };
  return { zh: key, en: key };
}
