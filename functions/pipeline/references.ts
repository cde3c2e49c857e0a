/**
 * The codes of reference tables (departments, wards, DRG groups, …) as of a night, for the foreign-key checks of ingest.
 * A reference table is delivered whole (the partition in force for night D is the newest one on or before D), or, for
 * the tables keyed by year (`replacesBy: 'year'`), year by year: each year as its newest delivery on or before D has it.
 */
import { dtOf, lakePrefix } from '../lake/layout.ts';
import { tableSpec, type TableSpec } from '../domain/contract.ts';
import type { ReferenceLookup } from '../domain/row-validation.ts';
import type { ObjectStore, QueryEngine } from '../ports.ts';


export interface ReferenceContext {
  lookup: ReferenceLookup;
  /** Reference partition used per table (`departments@2026-01-01`), for the report. */
  used: string[];
  /** Referenced tables with no version in force on the night: their checks were skipped. */
  skipped: string[];
  /** Of those, the ones whose first version is dated after the night (table → that date): loaded, but not for this night. */
  firstLater: Record<string, string>;
}

export class ReferenceCache {
  private readonly partitions = new Map<string, Promise<string[]>>();
  private readonly values = new Map<string, Promise<Set<string>>>();

  constructor(private readonly store: ObjectStore, private readonly engine: QueryEngine) {}

  /** Forget what is known of `table` (after ingest wrote one of its partitions). */
  invalidate(table: string): void {
    this.partitions.delete(table);
    for (const k of [...this.values.keys()]) if (k.startsWith(`${table}@`)) this.values.delete(k);
  }

  private partitionsOf(table: string): Promise<string[]> {
    let p = this.partitions.get(table);
    if (!p) {
      p = this.store.list(lakePrefix(table)).then((objs) => objs.map((o) => dtOf(o.key)).filter((d): d is string => d !== undefined).sort());
      this.partitions.set(table, p);
    }
    return p;
  }

  /** The codes in force with partition `dt` the newest: that partition's, or for a table replaced by year, every year's newest. */
  private codes(table: string, column: string, dt: string): Promise<Set<string>> {
    const key = `${table}@${dt}#${column}`;
    let p = this.values.get(key);
    if (!p) {
      // The column comes from the contract (an allow-listed identifier); the partition is a parameter.
      const spec = tableSpec(table);
      if (!spec.columns.some((c) => c.name === column)) throw new Error(`unknown reference column ${table}.${column}`);
      const sql = spec.replacesBy === 'year'
        ? `SELECT DISTINCT t.${column} AS code FROM {{${table}}} t JOIN (SELECT year AS in_force_year, MAX(dt) AS in_force_dt FROM {{${table}}} WHERE dt <= ? GROUP BY year) v ON t.year = v.in_force_year AND t.dt = v.in_force_dt WHERE t.dt <= ?`
        : `SELECT DISTINCT ${column} AS code FROM {{${table}}} WHERE dt = ?`;
      p = this.engine.query(sql, { params: spec.replacesBy === 'year' ? [dt, dt] : [dt] }).then((r) => new Set(r.rows.map((row) => String(row.code))));
      this.values.set(key, p);
    }
    return p;
  }

  /** The lookup for validating `spec` on night `dt`. */
  async forTable(spec: TableSpec, dt: string): Promise<ReferenceContext> {
    const sets = new Map<string, Set<string>>();
    const used: string[] = [];
    const skipped: string[] = [];
    const firstLater: Record<string, string> = {};
    for (const col of spec.columns) {
      const ref = col.references;
      if (!ref) continue;
      const id = `${ref.table}.${ref.column}`;
      if (sets.has(id) || skipped.includes(ref.table)) continue;
      const partitions = await this.partitionsOf(ref.table);
      const partition = partitions.filter((d) => d <= dt).at(-1);
      if (!partition) {
        skipped.push(ref.table);
        if (partitions.length) firstLater[ref.table] = partitions[0]!;
        continue;
      }
      sets.set(id, await this.codes(ref.table, ref.column, partition));
      if (!used.includes(`${ref.table}@${partition}`)) used.push(`${ref.table}@${partition}`);
    }
    return { lookup: (table, column) => sets.get(`${table}.${column}`), used, skipped, firstLater };
  }
}
